#include "ctr_drbg.h"

#include "args.h"
#include "callback_scope.h"

#include <mbedtls/ssl.h>

#include <string>

namespace tlssim {

const napi_type_tag CtrDrbg::kTypeTag = {0x746c7373696d0001ULL, 0x6374725f64726267ULL};

DrbgState::DrbgState() {
  mbedtls_entropy_init(&entropy);
  mbedtls_ctr_drbg_init(&drbg);
}

DrbgState::~DrbgState() {
  mbedtls_ctr_drbg_free(&drbg);
  mbedtls_entropy_free(&entropy);
}

int DrbgState::Seed(const unsigned char* personalization, size_t length) {
  // mbedtls_ctr_drbg_seed must not run twice on one context (2.28 initialises its mutex there), so a
  // re-seed starts from fresh contexts at the same addresses that configs already point to.
  mbedtls_ctr_drbg_free(&drbg);
  mbedtls_entropy_free(&entropy);
  mbedtls_entropy_init(&entropy);
  mbedtls_ctr_drbg_init(&drbg);
  int ret = mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, personalization, length);
  seeded = (ret == 0);
  return ret;
}

int DrbgRandom(void* state, unsigned char* output, size_t length) noexcept {
  auto* drbg = static_cast<DrbgState*>(state);
  if (drbg == nullptr) return MBEDTLS_ERR_SSL_NO_RNG;
  if (!drbg->seeded) return MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
  return mbedtls_ctr_drbg_random(&drbg->drbg, output, length);
}

Napi::Function CtrDrbg::Init(Napi::Env env) {
  return DefineClass(env, kClassName,
                     {InstanceMethod<&CtrDrbg::Seed>("seed"), InstanceMethod<&CtrDrbg::IsSeeded>("isSeeded")});
}

CtrDrbg::CtrDrbg(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<CtrDrbg>(info), state_(std::make_shared<DrbgState>()) {
  info.This().As<Napi::Object>().TypeTag(&kTypeTag);
}

// seed(personalization?: Uint8Array) → raw Mbed TLS code
Napi::Value CtrDrbg::Seed(const Napi::CallbackInfo& info) {
  CheckThis<CtrDrbg>(info);
  RefuseInsideCallback(info.Env(), "CtrDrbg.seed");
  std::string personalization;
  if (!IsNullish(info, 0)) {
    Napi::Uint8Array bytes = BytesArg(info, 0, "personalization");
    personalization.assign(reinterpret_cast<const char*>(bytes.Data()), bytes.ByteLength());
  }
  int ret = state_->Seed(reinterpret_cast<const unsigned char*>(personalization.data()), personalization.size());
  return Napi::Number::New(info.Env(), ret);
}

Napi::Value CtrDrbg::IsSeeded(const Napi::CallbackInfo& info) {
  CheckThis<CtrDrbg>(info);
  return Napi::Boolean::New(info.Env(), state_->seeded);
}

}  // namespace tlssim
