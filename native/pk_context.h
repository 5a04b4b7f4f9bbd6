// PkContext: an Mbed TLS private key (mbedtls_pk_context), the key half of an own certificate.
#pragma once

#include <mbedtls/pk.h>
#include <napi.h>

#include <memory>

namespace tlssim {

// Heap state shared with every SslConfig that points at it (see DrbgState for why).
struct PkState {
  PkState() { mbedtls_pk_init(&pk); }
  ~PkState() { mbedtls_pk_free(&pk); }
  PkState(const PkState&) = delete;
  PkState& operator=(const PkState&) = delete;

  mbedtls_pk_context pk;
};

class PkContext : public Napi::ObjectWrap<PkContext> {
 public:
  static constexpr const char* kClassName = "PkContext";
  static const napi_type_tag kTypeTag;
  static Napi::Function Init(Napi::Env env);

  explicit PkContext(const Napi::CallbackInfo& info);
  std::shared_ptr<PkState> State() const { return state_; }

 private:
  Napi::Value ParseKey(const Napi::CallbackInfo& info);
  Napi::Value Name(const Napi::CallbackInfo& info);
  Napi::Value Free(const Napi::CallbackInfo& info);

  std::shared_ptr<PkState> state_;
};

}  // namespace tlssim
