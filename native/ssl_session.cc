#include "ssl_session.h"

#include "args.h"
#include "callback_scope.h"

namespace tlssim {

const napi_type_tag SslSession::kTypeTag = {0x746c7373696d0006ULL, 0x73736c5f73657373ULL};

Napi::Function SslSession::Init(Napi::Env env) {
  return DefineClass(env, kClassName,
                     {
                         InstanceMethod<&SslSession::HasTicket>("hasTicket"),
                         InstanceMethod<&SslSession::IdLength>("idLength"),
                         InstanceMethod<&SslSession::Ciphersuite>("ciphersuite"),
                         InstanceMethod<&SslSession::Free>("free"),
                     });
}

SslSession::SslSession(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SslSession>(info) {
  info.This().As<Napi::Object>().TypeTag(&kTypeTag);
  mbedtls_ssl_session_init(&session_);
}

SslSession::~SslSession() { mbedtls_ssl_session_free(&session_); }

void SslSession::Clear() {
  mbedtls_ssl_session_free(&session_);
  mbedtls_ssl_session_init(&session_);
}

// hasTicket() → true when the server issued a session ticket (RFC 5077) that resumption will offer.
Napi::Value SslSession::HasTicket(const Napi::CallbackInfo& info) {
  CheckThis<SslSession>(info);
#if defined(MBEDTLS_SSL_SESSION_TICKETS) && defined(MBEDTLS_SSL_CLI_C)
  return Napi::Boolean::New(info.Env(), session_.ticket != nullptr && session_.ticket_len > 0);
#else
  return Napi::Boolean::New(info.Env(), false);
#endif
}

// idLength() → the session ID's length (0: the server gave none, so only a ticket can resume).
Napi::Value SslSession::IdLength(const Napi::CallbackInfo& info) {
  CheckThis<SslSession>(info);
  return Napi::Number::New(info.Env(), static_cast<double>(session_.id_len));
}

// ciphersuite() → the IANA id of the saved session's suite (0 when empty).
Napi::Value SslSession::Ciphersuite(const Napi::CallbackInfo& info) {
  CheckThis<SslSession>(info);
  return Napi::Number::New(info.Env(), session_.ciphersuite);
}

Napi::Value SslSession::Free(const Napi::CallbackInfo& info) {
  CheckThis<SslSession>(info);
  RefuseInsideCallback(info.Env(), "SslSession.free");
  Clear();
  return info.Env().Undefined();
}

}  // namespace tlssim
