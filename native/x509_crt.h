// X509Crt: an Mbed TLS certificate chain (mbedtls_x509_crt), used as CA chain or own certificate.
#pragma once

#include <mbedtls/x509_crt.h>
#include <napi.h>

#include <memory>
#include <string>

namespace tlssim {

// Heap state shared with every SslConfig that points at it (see DrbgState for why).
struct CrtState {
  CrtState() { mbedtls_x509_crt_init(&crt); }
  ~CrtState() { mbedtls_x509_crt_free(&crt); }
  CrtState(const CrtState&) = delete;
  CrtState& operator=(const CrtState&) = delete;

  mbedtls_x509_crt crt;
};

// mbedtls_x509_crt_info for one certificate, grown until it fits.
std::string CertificateInfo(const mbedtls_x509_crt* crt, const char* prefix);
// mbedtls_x509_dn_gets.
std::string DistinguishedName(const mbedtls_x509_name* name);

class X509Crt : public Napi::ObjectWrap<X509Crt> {
 public:
  static constexpr const char* kClassName = "X509Crt";
  static const napi_type_tag kTypeTag;
  static Napi::Function Init(Napi::Env env);

  explicit X509Crt(const Napi::CallbackInfo& info);
  std::shared_ptr<CrtState> State() const { return state_; }

 private:
  Napi::Value Parse(const Napi::CallbackInfo& info);
  Napi::Value Count(const Napi::CallbackInfo& info);
  Napi::Value Info(const Napi::CallbackInfo& info);
  Napi::Value Free(const Napi::CallbackInfo& info);

  std::shared_ptr<CrtState> state_;
};

}  // namespace tlssim
