// SslContext: one Mbed TLS connection (mbedtls_ssl_context) with synchronous JS BIO and timer callbacks.
#pragma once

#include <mbedtls/ssl.h>
#include <napi.h>

#include <memory>

#include "ssl_config.h"

namespace tlssim {

class SslContext : public Napi::ObjectWrap<SslContext> {
 public:
  static constexpr const char* kClassName = "SslContext";
  static const napi_type_tag kTypeTag;
  static Napi::Function Init(Napi::Env env);

  explicit SslContext(const Napi::CallbackInfo& info);
  ~SslContext() override;

 private:
  // Trampolines Mbed TLS calls (p = SslContext*); nothing may unwind out of them.
  static int BioSend(void* p, const unsigned char* buf, size_t len) noexcept;
  static int BioRecv(void* p, unsigned char* buf, size_t len) noexcept;
  static void TimerSetDelay(void* p, uint32_t intermediateMs, uint32_t finalMs) noexcept;
  static int TimerGetDelay(void* p) noexcept;

  void InstallCallbacks();
  bool IsSetUp() const { return config_ != nullptr; }

  Napi::Value Setup(const Napi::CallbackInfo& info);
  Napi::Value SetHostname(const Napi::CallbackInfo& info);
  Napi::Value SetBio(const Napi::CallbackInfo& info);
  Napi::Value SetTimer(const Napi::CallbackInfo& info);
  Napi::Value Handshake(const Napi::CallbackInfo& info);
  Napi::Value Read(const Napi::CallbackInfo& info);
  Napi::Value Write(const Napi::CallbackInfo& info);
  Napi::Value CloseNotify(const Napi::CallbackInfo& info);
  Napi::Value SessionReset(const Napi::CallbackInfo& info);
  Napi::Value SetClientTransportId(const Napi::CallbackInfo& info);
  Napi::Value GetVerifyResult(const Napi::CallbackInfo& info);
  Napi::Value GetVersion(const Napi::CallbackInfo& info);
  Napi::Value GetCiphersuite(const Napi::CallbackInfo& info);
  Napi::Value GetBytesAvail(const Napi::CallbackInfo& info);
  Napi::Value GetMaxOutRecordPayload(const Napi::CallbackInfo& info);
  Napi::Value CheckPending(const Napi::CallbackInfo& info);
  Napi::Value GetPeerCert(const Napi::CallbackInfo& info);
  Napi::Value GetSession(const Napi::CallbackInfo& info);
  Napi::Value IsResumed(const Napi::CallbackInfo& info);
  Napi::Value SetSession(const Napi::CallbackInfo& info);
  Napi::Value Free(const Napi::CallbackInfo& info);

  mbedtls_ssl_context ssl_;
  std::shared_ptr<ConfigState> config_;  // set by a successful setup(); keeps ssl_.conf valid
  Napi::FunctionReference send_;
  Napi::FunctionReference recv_;
  Napi::FunctionReference setDelay_;
  Napi::FunctionReference getDelay_;
  // The master secret of the session setSession offered, to tell a resumed handshake (see IsResumed).
  unsigned char offeredMaster_[48] = {};
  bool offeredSession_ = false;
};

}  // namespace tlssim
