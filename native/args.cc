#include "args.h"

#include <cmath>
#include <cstring>

namespace tlssim {

int64_t IntArg(const Napi::CallbackInfo& info, size_t i, const char* name, int64_t min, int64_t max) {
  Napi::Value value = info[i];
  if (!value.IsNumber()) throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a number");
  double d = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d != std::trunc(d) || d < static_cast<double>(min) || d > static_cast<double>(max)) {
    throw Napi::RangeError::New(info.Env(), std::string(name) + " must be an integer from " + std::to_string(min) +
                                                " to " + std::to_string(max));
  }
  return static_cast<int64_t>(d);
}

bool BoolArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  Napi::Value value = info[i];
  if (!value.IsBoolean()) throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a boolean");
  return value.As<Napi::Boolean>().Value();
}

std::string StringArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  Napi::Value value = info[i];
  if (!value.IsString()) throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a string");
  std::string s = value.As<Napi::String>().Utf8Value();
  if (s.find('\0') != std::string::npos) {
    throw Napi::TypeError::New(info.Env(), std::string(name) + " must not contain NUL characters");
  }
  return s;
}

bool IsNullish(const Napi::CallbackInfo& info, size_t i) {
  Napi::Value value = info[i];
  return value.IsNull() || value.IsUndefined();
}

bool IsBytes(const Napi::Value& value) {
  return value.IsTypedArray() && value.As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array;
}

Napi::Uint8Array BytesArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  Napi::Value value = info[i];
  if (!IsBytes(value)) throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a Uint8Array");
  return value.As<Napi::Uint8Array>();
}

const unsigned char* BytesData(const Napi::Uint8Array& bytes) {
  static const unsigned char kEmpty[1] = {0};
  return bytes.ByteLength() == 0 || bytes.Data() == nullptr ? kEmpty : bytes.Data();
}

Napi::Function FunctionArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  Napi::Value value = info[i];
  if (!value.IsFunction()) throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a function");
  return value.As<Napi::Function>();
}

}  // namespace tlssim
