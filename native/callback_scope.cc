#include "callback_scope.h"

#include <string>

namespace tlssim {

namespace {
thread_local CallbackScope* current = nullptr;
constexpr const char* kHolderKey = "exception";
}  // namespace

CallbackScope::CallbackScope(Napi::Env env) : env_(env), previous_(current) { current = this; }

CallbackScope::~CallbackScope() { current = previous_; }

CallbackScope* CallbackScope::Current() { return current; }

void CallbackScope::CaptureValue(napi_value value) noexcept {
  if (hasError_) return;
  hasError_ = true;
  try {
    Napi::Object holder = Napi::Object::New(env_);
    holder.Set(kHolderKey, Napi::Value(env_, value));
    holder_ = Napi::Persistent(holder);
  } catch (...) {
    // holder_ stays empty; RethrowIfCaptured reports a generic failure instead.
  }
}

void CallbackScope::Capture(const Napi::Error& error) noexcept {
  if (hasError_) return;
  try {
    CaptureValue(error.Value());  // the value JS threw (node-addon-api unwraps primitives here)
  } catch (...) {
    hasError_ = true;
  }
}

void CallbackScope::CaptureTypeError(const char* message) noexcept {
  if (hasError_) return;
  try {
    CaptureValue(Napi::TypeError::New(env_, message).Value());
  } catch (...) {
    hasError_ = true;
  }
}

void CallbackScope::CaptureRangeError(const char* message) noexcept {
  if (hasError_) return;
  try {
    CaptureValue(Napi::RangeError::New(env_, message).Value());
  } catch (...) {
    hasError_ = true;
  }
}

void CallbackScope::CaptureUnknown() noexcept {
  if (hasError_) return;
  try {
    CaptureValue(Napi::Error::New(env_, "unexpected C++ exception inside an Mbed TLS callback").Value());
  } catch (...) {
    hasError_ = true;
  }
}

void CallbackScope::RethrowIfCaptured() {
  if (!hasError_) return;
  hasError_ = false;
  if (holder_.IsEmpty()) throw Napi::Error::New(env_, "an Mbed TLS callback failed and its exception was lost");
  Napi::Value value = holder_.Value().Get(kHolderKey);
  holder_.Reset();
  // Napi::Error wraps a primitive and unwraps it again when node-addon-api throws it into JS.
  throw Napi::Error(env_, value);
}

NoJsCallbacks::NoJsCallbacks() : hidden_(current) { current = nullptr; }

NoJsCallbacks::~NoJsCallbacks() { current = hidden_; }

void RefuseInsideCallback(Napi::Env env, const char* method) {
  if (CallbackScope::Current() == nullptr) return;
  throw Napi::Error::New(env, std::string(method) +
                                  " cannot be called from inside an Mbed TLS callback (Mbed TLS is not re-entrant)");
}

}  // namespace tlssim
