#include "callback_scope.h"

#include <string>

namespace tlssim {

namespace {
thread_local CallbackScope* current = nullptr;
}

CallbackScope::CallbackScope(Napi::Env env) : env_(env), previous_(current) { current = this; }

CallbackScope::~CallbackScope() { current = previous_; }

CallbackScope* CallbackScope::Current() { return current; }

void CallbackScope::Capture(const Napi::Error& error) {
  if (hasError_) return;
  error_ = error;
  hasError_ = true;
}

void CallbackScope::CaptureTypeError(const char* message) { Capture(Napi::TypeError::New(env_, message)); }

void CallbackScope::CaptureUnknown() {
  Capture(Napi::Error::New(env_, "tlssim_mbedtls: unexpected C++ exception inside an Mbed TLS callback"));
}

void CallbackScope::RethrowIfCaptured() {
  if (!hasError_) return;
  hasError_ = false;
  throw error_;
}

void RefuseInsideCallback(Napi::Env env, const char* method) {
  if (CallbackScope::Current() == nullptr) return;
  throw Napi::Error::New(env, std::string(method) +
                                  " cannot be called from inside an Mbed TLS callback (Mbed TLS is not re-entrant)");
}

}  // namespace tlssim
