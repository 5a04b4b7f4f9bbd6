// CtrDrbg: an Mbed TLS CTR_DRBG with its own entropy context (as TLSSocketWrapper owns one of each).
#pragma once

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <napi.h>

#include <memory>

namespace tlssim {

// The C state lives on the heap, shared by every SslConfig that uses it as RNG, so it outlives the JS
// object as long as Mbed TLS may call it (whatever order the garbage collector finalizes things in).
struct DrbgState {
  DrbgState();
  ~DrbgState();
  DrbgState(const DrbgState&) = delete;
  DrbgState& operator=(const DrbgState&) = delete;
  int Seed(const unsigned char* personalization, size_t length);

  mbedtls_entropy_context entropy;
  mbedtls_ctr_drbg_context drbg;
  bool seeded = false;
};

// The f_rng handed to Mbed TLS (p_rng = DrbgState* or nullptr). A missing or unseeded DRBG gives an
// error code where mbedtls_ctr_drbg_random would dereference a null entropy function.
int DrbgRandom(void* state, unsigned char* output, size_t length) noexcept;

class CtrDrbg : public Napi::ObjectWrap<CtrDrbg> {
 public:
  static constexpr const char* kClassName = "CtrDrbg";
  static const napi_type_tag kTypeTag;
  static Napi::Function Init(Napi::Env env);

  explicit CtrDrbg(const Napi::CallbackInfo& info);
  std::shared_ptr<DrbgState> State() const { return state_; }

 private:
  Napi::Value Seed(const Napi::CallbackInfo& info);
  Napi::Value IsSeeded(const Napi::CallbackInfo& info);

  std::shared_ptr<DrbgState> state_;
};

}  // namespace tlssim
