#include "x509_crt.h"

#include <vector>

#include "args.h"
#include "callback_scope.h"

namespace tlssim {

const napi_type_tag X509Crt::kTypeTag = {0x746c7373696d0002ULL, 0x783530395f637274ULL};

std::string CertificateInfo(const mbedtls_x509_crt* crt, const char* prefix) {
  for (size_t size = 2048; size <= 1 << 20; size *= 2) {
    std::vector<char> buffer(size);
    int n = mbedtls_x509_crt_info(buffer.data(), buffer.size(), prefix, crt);
    if (n >= 0) return std::string(buffer.data(), static_cast<size_t>(n));
    if (n != MBEDTLS_ERR_X509_BUFFER_TOO_SMALL) return std::string();
  }
  return std::string();
}

std::string DistinguishedName(const mbedtls_x509_name* name) {
  for (size_t size = 256; size <= 1 << 16; size *= 2) {
    std::vector<char> buffer(size);
    int n = mbedtls_x509_dn_gets(buffer.data(), buffer.size(), name);
    if (n >= 0) return std::string(buffer.data(), static_cast<size_t>(n));
  }
  return std::string();
}

Napi::Function X509Crt::Init(Napi::Env env) {
  return DefineClass(env, kClassName,
                     {InstanceMethod<&X509Crt::Parse>("parse"), InstanceMethod<&X509Crt::Count>("count"),
                      InstanceMethod<&X509Crt::Info>("info"), InstanceMethod<&X509Crt::Free>("free")});
}

X509Crt::X509Crt(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<X509Crt>(info), state_(std::make_shared<CrtState>()) {
  info.This().As<Napi::Object>().TypeTag(&kTypeTag);
}

// parse(bytes) → raw mbedtls_x509_crt_parse result: 0, a positive count of certificates that failed in a
// PEM bundle, or a negative error. PEM is recognised only when its length includes the terminating NUL;
// anything else is parsed as DER. Certificates are appended to the chain.
Napi::Value X509Crt::Parse(const Napi::CallbackInfo& info) {
  CheckThis<X509Crt>(info);
  RefuseInsideCallback(info.Env(), "X509Crt.parse");
  Napi::Uint8Array bytes = BytesArg(info, 0, "certificate");
  int ret = mbedtls_x509_crt_parse(&state_->crt, BytesData(bytes), bytes.ByteLength());
  return Napi::Number::New(info.Env(), ret);
}

// count() → certificates in the chain (0 before a successful parse).
Napi::Value X509Crt::Count(const Napi::CallbackInfo& info) {
  CheckThis<X509Crt>(info);
  uint32_t n = 0;
  for (const mbedtls_x509_crt* c = &state_->crt; c != nullptr && c->version != 0; c = c->next) n++;
  return Napi::Number::New(info.Env(), n);
}

// info() → mbedtls_x509_crt_info text of every certificate in the chain, in order.
Napi::Value X509Crt::Info(const Napi::CallbackInfo& info) {
  CheckThis<X509Crt>(info);
  std::string text;
  for (const mbedtls_x509_crt* c = &state_->crt; c != nullptr && c->version != 0; c = c->next) {
    text += CertificateInfo(c, "");
  }
  return Napi::String::New(info.Env(), text);
}



// free(): mbedtls_x509_crt_free of this object's chain, leaving an empty one. A config that still points
// at the old chain keeps it alive until the config itself is freed (the state is shared).
Napi::Value X509Crt::Free(const Napi::CallbackInfo& info) {
  RefuseInsideCallback(info.Env(), "free");
  state_ = std::make_shared<CrtState>();
  return info.Env().Undefined();
}

}  // namespace tlssim
