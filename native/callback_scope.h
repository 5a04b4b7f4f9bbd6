// Mbed TLS calls its callbacks (BIO, timer, debug, verify) synchronously from C. Those callbacks run
// JavaScript, and neither a JS exception nor a C++ one may unwind through Mbed TLS's C frames. Every
// binding method that enters Mbed TLS opens a CallbackScope: trampolines call JS only while a scope is
// open, catch whatever JS throws into the scope (the first exception wins) and hand Mbed TLS an error
// code instead; the method rethrows the captured exception once Mbed TLS has returned.
#pragma once

#include <napi.h>

namespace tlssim {

class CallbackScope {
 public:
  explicit CallbackScope(Napi::Env env);
  ~CallbackScope();
  CallbackScope(const CallbackScope&) = delete;
  CallbackScope& operator=(const CallbackScope&) = delete;

  // The scope of the Mbed TLS call in progress on this thread, or nullptr (e.g. inside a GC finalizer,
  // where JS must not run).
  static CallbackScope* Current();

  Napi::Env Env() const { return env_; }
  // The Capture functions never throw: they run inside trampolines, between C frames.
  void Capture(const Napi::Error& error) noexcept;
  void CaptureTypeError(const char* message) noexcept;
  void CaptureRangeError(const char* message) noexcept;
  void CaptureUnknown() noexcept;
  bool HasError() const { return hasError_; }
  // Throws the captured JS value (any value: JS may throw a primitive) as a C++ Napi::Error, which
  // node-addon-api rethrows into JS unchanged.
  void RethrowIfCaptured();

 private:
  void CaptureValue(napi_value value) noexcept;

  Napi::Env env_;
  CallbackScope* previous_;
  // The exception lives in a property of a plain object: Node-API 8 cannot reference a primitive.
  Napi::ObjectReference holder_;
  bool hasError_ = false;
};

// Hides the current CallbackScope for its lifetime, so trampolines call no JS. For destructors: a GC
// finalizer may run in the middle of another context's Mbed TLS call, and must not run JS there.
class NoJsCallbacks {
 public:
  NoJsCallbacks();
  ~NoJsCallbacks();
  NoJsCallbacks(const NoJsCallbacks&) = delete;
  NoJsCallbacks& operator=(const NoJsCallbacks&) = delete;

 private:
  CallbackScope* hidden_;
};

// Methods that would change Mbed TLS state must not run from inside an Mbed TLS callback: Mbed TLS is
// not re-entrant, and a config or key changed mid-handshake could leave dangling pointers.
void RefuseInsideCallback(Napi::Env env, const char* method);

// Runs `call` (a lambda that calls Mbed TLS) inside a CallbackScope and returns its result, rethrowing
// any JS exception a callback raised meanwhile.
template <typename Call>
int CallMbedtls(Napi::Env env, Call call) {
  CallbackScope scope(env);
  int ret = call();
  scope.RethrowIfCaptured();
  return ret;
}

}  // namespace tlssim
