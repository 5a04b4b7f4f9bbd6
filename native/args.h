// Argument checks for the binding's methods. Bad arguments from TypeScript throw a JS TypeError (wrong
// type) or RangeError (right type, impossible value); they never reach Mbed TLS and never abort.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

namespace tlssim {

// Integer argument i within [min, max].
int64_t IntArg(const Napi::CallbackInfo& info, size_t i, const char* name, int64_t min, int64_t max);
bool BoolArg(const Napi::CallbackInfo& info, size_t i, const char* name);
// String argument without embedded NUL (Mbed TLS takes C strings).
std::string StringArg(const Napi::CallbackInfo& info, size_t i, const char* name);
bool IsNullish(const Napi::CallbackInfo& info, size_t i);
// A Uint8Array (a Node Buffer is one).
Napi::Uint8Array BytesArg(const Napi::CallbackInfo& info, size_t i, const char* name);
bool IsBytes(const Napi::Value& value);
// The bytes of a Uint8Array, never a null pointer (an empty array may have none, and Mbed TLS built with
// MBEDTLS_CHECK_PARAMS would treat a null pointer as a programming error).
const unsigned char* BytesData(const Napi::Uint8Array& bytes);
Napi::Function FunctionArg(const Napi::CallbackInfo& info, size_t i, const char* name);

// Every wrapped class tags its instances (Node-API 8 type tags), so an object of the wrong class (even
// one with a borrowed prototype) is rejected before it is unwrapped.
template <typename T>
T* UnwrapArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  Napi::Value value = info[i];
  if (!value.IsObject() || !value.As<Napi::Object>().CheckTypeTag(&T::kTypeTag)) {
    throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a " + T::kClassName);
  }
  return T::Unwrap(value.As<Napi::Object>());
}

// Rejects a method called on the wrong `this` (e.g. SslConfig.prototype.defaults.call(otherObject)).
template <typename T>
void CheckThis(const Napi::CallbackInfo& info) {
  if (!info.This().IsObject() || !info.This().As<Napi::Object>().CheckTypeTag(&T::kTypeTag)) {
    throw Napi::TypeError::New(info.Env(), std::string("method called on an object that is not a ") + T::kClassName);
  }
}

}  // namespace tlssim
