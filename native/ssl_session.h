// SslSession: a saved TLS session (mbedtls_ssl_session) a client can offer again to resume: the master
// secret, the ciphersuite, the session ID, and the server's ticket if it issued one.
#pragma once

#include <mbedtls/ssl.h>
#include <napi.h>

namespace tlssim {

class SslSession : public Napi::ObjectWrap<SslSession> {
 public:
  static constexpr const char* kClassName = "SslSession";
  static const napi_type_tag kTypeTag;
  static Napi::Function Init(Napi::Env env);

  explicit SslSession(const Napi::CallbackInfo& info);
  ~SslSession() override;

  mbedtls_ssl_session* Get() { return &session_; }
  // Empties the session (mbedtls_ssl_session_free, then init): before a new save, and on free().
  void Clear();

 private:
  Napi::Value HasTicket(const Napi::CallbackInfo& info);
  Napi::Value IdLength(const Napi::CallbackInfo& info);
  Napi::Value Ciphersuite(const Napi::CallbackInfo& info);
  Napi::Value Free(const Napi::CallbackInfo& info);

  mbedtls_ssl_session session_;
};

}  // namespace tlssim
