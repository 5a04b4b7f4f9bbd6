// tlssim_mbedtls: a small Node-API binding to the system's Mbed TLS 2.28, exposing what Mbed OS's
// TLSSocketWrapper / DTLSSocketWrapper use. Raw Mbed TLS return codes come back as numbers; the nsapi
// mapping lives in TypeScript. Bad arguments throw TypeError/RangeError and never abort the process.
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/debug.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/pem.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_ciphersuites.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>
#include <napi.h>

#include <string>
#include <vector>

#include "args.h"
#include "callback_scope.h"
#include "ctr_drbg.h"
#include "heap_accounting.h"
#include "pk_context.h"
#include "ssl_config.h"
#include "ssl_context.h"
#include "ssl_session.h"
#include "x509_crt.h"

namespace tlssim {
namespace {

// strerror(code) → mbedtls_strerror text, e.g. "SSL - The peer notified us that the connection is
// going to be closed".
Napi::Value StrError(const Napi::CallbackInfo& info) {
  int code = static_cast<int>(IntArg(info, 0, "code", INT32_MIN, INT32_MAX));
  char buffer[256];
  mbedtls_strerror(code, buffer, sizeof buffer);
  return Napi::String::New(info.Env(), buffer);
}

// debugSetThreshold(level 0..4): Mbed TLS keeps one threshold for the whole process.
Napi::Value DebugSetThreshold(const Napi::CallbackInfo& info) {
  RefuseInsideCallback(info.Env(), "debugSetThreshold");
  mbedtls_debug_set_threshold(static_cast<int>(IntArg(info, 0, "level", 0, 5)));
  return info.Env().Undefined();
}

// ciphersuiteId(name) → IANA id, 0 if this build does not know the name.
Napi::Value CiphersuiteId(const Napi::CallbackInfo& info) {
  std::string name = StringArg(info, 0, "name");
  return Napi::Number::New(info.Env(), mbedtls_ssl_get_ciphersuite_id(name.c_str()));
}

// ciphersuiteName(id) → the Mbed TLS name, "unknown" for an id this build does not support.
Napi::Value CiphersuiteName(const Napi::CallbackInfo& info) {
  int id = static_cast<int>(IntArg(info, 0, "id", 0, 0xFFFF));
  return Napi::String::New(info.Env(), mbedtls_ssl_get_ciphersuite_name(id));
}

// listCiphersuites() → every id this build supports, in Mbed TLS's default preference order.
Napi::Value ListCiphersuites(const Napi::CallbackInfo& info) {
  const int* ids = mbedtls_ssl_list_ciphersuites();
  std::vector<int> list;
  for (const int* p = ids; *p != 0; p++) list.push_back(*p);
  Napi::Array result = Napi::Array::New(info.Env(), list.size());
  for (size_t i = 0; i < list.size(); i++) result.Set(static_cast<uint32_t>(i), list[i]);
  return result;
}

// x509VerifyInfo(flags) → one line per verification flag set, e.g. "! The certificate is not correctly
// signed by the trusted CA\n".
Napi::Value X509VerifyInfo(const Napi::CallbackInfo& info) {
  auto flags = static_cast<uint32_t>(IntArg(info, 0, "flags", 0, UINT32_MAX));
  char buffer[2048];
  int n = mbedtls_x509_crt_verify_info(buffer, sizeof buffer, "", flags);
  return Napi::String::New(info.Env(), n > 0 ? std::string(buffer, static_cast<size_t>(n)) : std::string());
}

Napi::Object Constants(Napi::Env env) {
  Napi::Object constants = Napi::Object::New(env);
#define X(name) constants.Set(#name, Napi::Number::New(env, static_cast<double>(name)));
#include "constants_list.h"
#undef X
  return constants;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // Before any Mbed TLS call, so every block Mbed TLS allocates is in the ledger.
  InstallHeapHooks();
  char version[32];
  mbedtls_version_get_string_full(version);
  exports.Set("version", Napi::String::New(env, version));
  exports.Set("constants", Constants(env));
  exports.Set("strerror", Napi::Function::New<StrError>(env, "strerror"));
  exports.Set("debugSetThreshold", Napi::Function::New<DebugSetThreshold>(env, "debugSetThreshold"));
  exports.Set("ciphersuiteId", Napi::Function::New<CiphersuiteId>(env, "ciphersuiteId"));
  exports.Set("ciphersuiteName", Napi::Function::New<CiphersuiteName>(env, "ciphersuiteName"));
  exports.Set("listCiphersuites", Napi::Function::New<ListCiphersuites>(env, "listCiphersuites"));
  exports.Set("x509VerifyInfo", Napi::Function::New<X509VerifyInfo>(env, "x509VerifyInfo"));
  exports.Set("heap", HeapExports(env));
  exports.Set("CtrDrbg", CtrDrbg::Init(env));
  exports.Set("X509Crt", X509Crt::Init(env));
  exports.Set("PkContext", PkContext::Init(env));
  exports.Set("SslConfig", SslConfig::Init(env));
  exports.Set("SslContext", SslContext::Init(env));
  exports.Set("SslSession", SslSession::Init(env));
  return exports;
}

}  // namespace
}  // namespace tlssim

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return tlssim::Init(env, exports); }

NODE_API_MODULE(tlssim_mbedtls, InitModule)
