// Mbed TLS calls its callbacks (BIO, timer, debug, verify) synchronously from C. Those callbacks run
// JavaScript, and a JS exception must never unwind through Mbed TLS's C frames. Every binding method
// that enters Mbed TLS opens a CallbackScope: trampolines call JS only while a scope is open, catch
// whatever JS throws into the scope (the first exception wins) and hand Mbed TLS an error code instead;
// the method rethrows the captured exception once Mbed TLS has returned.
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
  void Capture(const Napi::Error& error);
  void CaptureTypeError(const char* message);
  void CaptureUnknown();
  bool HasError() const { return hasError_; }
  // Throws the captured exception (as a C++ Napi::Error, which node-addon-api turns back into the
  // original JS value) if a callback threw.
  void RethrowIfCaptured();

 private:
  Napi::Env env_;
  CallbackScope* previous_;
  Napi::Error error_;
  bool hasError_ = false;
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
