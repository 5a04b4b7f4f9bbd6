// SslConfig: an Mbed TLS SSL configuration (mbedtls_ssl_config), shareable by several SslContexts as
// TLSSocketWrapper::get_ssl_config/set_ssl_config share one.
#pragma once

#include <mbedtls/ssl.h>
#include <mbedtls/ssl_cache.h>
#include <mbedtls/ssl_cookie.h>
#include <napi.h>

#include <memory>
#include <utility>
#include <vector>

#include "ctr_drbg.h"
#include "pk_context.h"
#include "x509_crt.h"

namespace tlssim {

// The C config and everything it points at. Held by shared_ptr by the SslConfig and by every SslContext
// set up with it, so the pointers Mbed TLS keeps stay valid while any of them is alive.
struct ConfigState {
  ConfigState();
  ~ConfigState();
  ConfigState(const ConfigState&) = delete;
  ConfigState& operator=(const ConfigState&) = delete;

  mbedtls_ssl_config conf;
  mbedtls_ssl_cookie_ctx cookie;
  // A server's session cache (resumption by session ID), set up by setSessionCache().
  mbedtls_ssl_cache_context cache;
  bool defaultsApplied = false;  // a config without defaults has no ciphersuite list: setup refuses it
  bool cookiesSetUp = false;
  std::vector<int> ciphersuites;  // zero-terminated; Mbed TLS keeps only the pointer
  std::shared_ptr<CrtState> caChain;
  std::vector<std::pair<std::shared_ptr<CrtState>, std::shared_ptr<PkState>>> ownCerts;
  std::shared_ptr<DrbgState> rng;
  std::shared_ptr<DrbgState> cookieRng;
  Napi::FunctionReference debug;
  Napi::FunctionReference verify;
  Napi::FunctionReference exportKeys;
};

class SslConfig : public Napi::ObjectWrap<SslConfig> {
 public:
  static constexpr const char* kClassName = "SslConfig";
  static const napi_type_tag kTypeTag;
  static Napi::Function Init(Napi::Env env);

  explicit SslConfig(const Napi::CallbackInfo& info);
  std::shared_ptr<ConfigState> State() const { return state_; }

 private:
  Napi::Value Defaults(const Napi::CallbackInfo& info);
  Napi::Value SetEndpoint(const Napi::CallbackInfo& info);
  Napi::Value SetTransport(const Napi::CallbackInfo& info);
  Napi::Value SetAuthmode(const Napi::CallbackInfo& info);
  Napi::Value SetCaChain(const Napi::CallbackInfo& info);
  Napi::Value SetOwnCert(const Napi::CallbackInfo& info);
  Napi::Value SetCiphersuites(const Napi::CallbackInfo& info);
  Napi::Value SetMinVersion(const Napi::CallbackInfo& info);
  Napi::Value SetMaxVersion(const Napi::CallbackInfo& info);
  Napi::Value SetRng(const Napi::CallbackInfo& info);
  Napi::Value SetReadTimeout(const Napi::CallbackInfo& info);
  Napi::Value SetHandshakeTimeout(const Napi::CallbackInfo& info);
  Napi::Value SetMaxFragLen(const Napi::CallbackInfo& info);
  Napi::Value SetDebug(const Napi::CallbackInfo& info);
  Napi::Value SetVerify(const Napi::CallbackInfo& info);
  Napi::Value SetExportKeys(const Napi::CallbackInfo& info);
  Napi::Value SetDtlsCookies(const Napi::CallbackInfo& info);
  Napi::Value SetSessionCache(const Napi::CallbackInfo& info);
  Napi::Value SetDtlsAntiReplay(const Napi::CallbackInfo& info);
  Napi::Value Free(const Napi::CallbackInfo& info);

  std::shared_ptr<ConfigState> state_;
};

}  // namespace tlssim
