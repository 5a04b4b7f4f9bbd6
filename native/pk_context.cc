#include "pk_context.h"

#include <string>

#include "args.h"
#include "callback_scope.h"

namespace tlssim {

const napi_type_tag PkContext::kTypeTag = {0x746c7373696d0003ULL, 0x706b5f636f6e7478ULL};

Napi::Function PkContext::Init(Napi::Env env) {
  return DefineClass(env, kClassName,
                     {InstanceMethod<&PkContext::ParseKey>("parseKey"), InstanceMethod<&PkContext::Name>("name"),
                      InstanceMethod<&PkContext::Free>("free")});
}

PkContext::PkContext(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<PkContext>(info), state_(std::make_shared<PkState>()) {
  info.This().As<Napi::Object>().TypeTag(&kTypeTag);
}

// parseKey(bytes, password?: Uint8Array | string) → raw mbedtls_pk_parse_key result. Like
// TLSSocketWrapper::set_client_cert_key, the context is re-initialised first, so a failed parse leaves
// no key. PEM needs its terminating NUL counted in the length, as for certificates.
Napi::Value PkContext::ParseKey(const Napi::CallbackInfo& info) {
  CheckThis<PkContext>(info);
  RefuseInsideCallback(info.Env(), "PkContext.parseKey");
  Napi::Uint8Array key = BytesArg(info, 0, "key");
  std::string password;
  if (info[1].IsString()) {
    password = StringArg(info, 1, "password");
  } else if (!IsNullish(info, 1)) {
    Napi::Uint8Array bytes = BytesArg(info, 1, "password (Uint8Array or string)");
    password.assign(reinterpret_cast<const char*>(bytes.Data()), bytes.ByteLength());
  }
  mbedtls_pk_free(&state_->pk);
  mbedtls_pk_init(&state_->pk);
  int ret = mbedtls_pk_parse_key(&state_->pk, BytesData(key), key.ByteLength(),
                                 password.empty() ? nullptr : reinterpret_cast<const unsigned char*>(password.data()),
                                 password.size());
  return Napi::Number::New(info.Env(), ret);
}

// name() → "RSA", "EC", … or "invalid PK" when no key is loaded (mbedtls_pk_get_name).
Napi::Value PkContext::Name(const Napi::CallbackInfo& info) {
  CheckThis<PkContext>(info);
  return Napi::String::New(info.Env(), mbedtls_pk_get_name(&state_->pk));
}

// free(): mbedtls_pk_free of this object's key, leaving none; a config that still points at the old key
// keeps it alive until the config is freed.
Napi::Value PkContext::Free(const Napi::CallbackInfo& info) {
  RefuseInsideCallback(info.Env(), "free");
  state_ = std::make_shared<PkState>();
  return info.Env().Undefined();
}

}  // namespace tlssim
