#include "ssl_config.h"

#include <cstdint>
#include <string>

#include "args.h"
#include "callback_scope.h"

namespace tlssim {

const napi_type_tag SslConfig::kTypeTag = {0x746c7373696d0004ULL, 0x73736c5f636f6e66ULL};

namespace {

// f_dbg: forwards a debug line to the config's JS callback (level, file, line, message).
void DebugTrampoline(void* p, int level, const char* file, int line, const char* message) noexcept {
  auto* state = static_cast<ConfigState*>(p);
  CallbackScope* scope = CallbackScope::Current();
  if (scope == nullptr || state->debug.IsEmpty()) return;
  try {
    Napi::Env env = scope->Env();
    Napi::HandleScope handles(env);
    state->debug.Value().Call({Napi::Number::New(env, level), Napi::String::New(env, file ? file : ""),
                               Napi::Number::New(env, line), Napi::String::New(env, message ? message : "")});
  } catch (const Napi::Error& e) {
    scope->Capture(e);
  } catch (...) {
    scope->CaptureUnknown();
  }
}

// f_vrfy: shows each certificate of the peer's chain to the JS callback (depth, info text, flags). It
// only observes, as TLSSocketWrapper's my_verify does: verification itself is left to Mbed TLS.
int VerifyTrampoline(void* p, mbedtls_x509_crt* crt, int depth, uint32_t* flags) noexcept {
  auto* state = static_cast<ConfigState*>(p);
  CallbackScope* scope = CallbackScope::Current();
  if (scope == nullptr || state->verify.IsEmpty()) return 0;
  try {
    Napi::Env env = scope->Env();
    Napi::HandleScope handles(env);
    state->verify.Value().Call({Napi::Number::New(env, depth), Napi::String::New(env, CertificateInfo(crt, "")),
                                Napi::Number::New(env, *flags)});
  } catch (const Napi::Error& e) {
    scope->Capture(e);
  } catch (...) {
    scope->CaptureUnknown();
  }
  return 0;
}

// f_export_keys_ext (ssl.h, mbedtls_ssl_export_keys_ext_t): hands the master secret and both randoms to
// the JS callback (masterSecret, clientRandom, serverRandom), which writes an NSS key log line so that
// Wireshark can decrypt the run's capture. Mbed TLS calls it from ssl_derive_keys, inside handshake().
// The pointers are ephemeral, hence the copies. Always 0: a failing key log must not fail the handshake.
int ExportKeysTrampoline(void* p, const unsigned char* ms, const unsigned char* /*kb*/, size_t /*maclen*/,
                         size_t /*keylen*/, size_t /*ivlen*/, const unsigned char clientRandom[32],
                         const unsigned char serverRandom[32], mbedtls_tls_prf_types /*prf*/) noexcept {
  auto* state = static_cast<ConfigState*>(p);
  CallbackScope* scope = CallbackScope::Current();
  if (scope == nullptr || state->exportKeys.IsEmpty()) return 0;
  try {
    Napi::Env env = scope->Env();
    Napi::HandleScope handles(env);
    state->exportKeys.Value().Call({Napi::Buffer<uint8_t>::Copy(env, ms, 48),
                                    Napi::Buffer<uint8_t>::Copy(env, clientRandom, 32),
                                    Napi::Buffer<uint8_t>::Copy(env, serverRandom, 32)});
  } catch (const Napi::Error& e) {
    scope->Capture(e);
  } catch (...) {
    scope->CaptureUnknown();
  }
  return 0;
}

int RangedInt(const Napi::CallbackInfo& info, size_t i, const char* name, int64_t min, int64_t max) {
  return static_cast<int>(IntArg(info, i, name, min, max));
}

}  // namespace

ConfigState::ConfigState() {
  mbedtls_ssl_config_init(&conf);
  mbedtls_ssl_cookie_init(&cookie);
  mbedtls_ssl_cache_init(&cache);
  // Always an RNG function: without a DRBG it answers NO_RNG instead of Mbed TLS calling a null pointer.
  mbedtls_ssl_conf_rng(&conf, DrbgRandom, nullptr);
}

ConfigState::~ConfigState() {
  mbedtls_ssl_config_free(&conf);
  mbedtls_ssl_cookie_free(&cookie);
  mbedtls_ssl_cache_free(&cache);
}

Napi::Function SslConfig::Init(Napi::Env env) {
  return DefineClass(env, kClassName,
                     {
                         InstanceMethod<&SslConfig::Defaults>("defaults"),
                         InstanceMethod<&SslConfig::SetEndpoint>("setEndpoint"),
                         InstanceMethod<&SslConfig::SetTransport>("setTransport"),
                         InstanceMethod<&SslConfig::SetAuthmode>("setAuthmode"),
                         InstanceMethod<&SslConfig::SetCaChain>("setCaChain"),
                         InstanceMethod<&SslConfig::SetOwnCert>("setOwnCert"),
                         InstanceMethod<&SslConfig::SetCiphersuites>("setCiphersuites"),
                         InstanceMethod<&SslConfig::SetMinVersion>("setMinVersion"),
                         InstanceMethod<&SslConfig::SetMaxVersion>("setMaxVersion"),
                         InstanceMethod<&SslConfig::SetRng>("setRng"),
                         InstanceMethod<&SslConfig::SetReadTimeout>("setReadTimeout"),
                         InstanceMethod<&SslConfig::SetHandshakeTimeout>("setHandshakeTimeout"),
                         InstanceMethod<&SslConfig::SetMaxFragLen>("setMaxFragLen"),
                         InstanceMethod<&SslConfig::SetDebug>("setDebug"),
                         InstanceMethod<&SslConfig::SetVerify>("setVerify"),
                         InstanceMethod<&SslConfig::SetExportKeys>("setExportKeys"),
                         InstanceMethod<&SslConfig::SetDtlsCookies>("setDtlsCookies"),
                         InstanceMethod<&SslConfig::SetDtlsAntiReplay>("setDtlsAntiReplay"),
                         InstanceMethod<&SslConfig::SetSessionCache>("setSessionCache"),
                         InstanceMethod<&SslConfig::Free>("free"),
                     });
}

SslConfig::SslConfig(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<SslConfig>(info), state_(std::make_shared<ConfigState>()) {
  info.This().As<Napi::Object>().TypeTag(&kTypeTag);
}

// defaults(endpoint, transport, preset = MBEDTLS_SSL_PRESET_DEFAULT) → raw code
Napi::Value SslConfig::Defaults(const Napi::CallbackInfo& info) {
  CheckThis<SslConfig>(info);
  RefuseInsideCallback(info.Env(), "SslConfig.defaults");
  int endpoint = RangedInt(info, 0, "endpoint", MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_IS_SERVER);
  int transport = RangedInt(info, 1, "transport", MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_TRANSPORT_DATAGRAM);
  int preset = IsNullish(info, 2) ? MBEDTLS_SSL_PRESET_DEFAULT : RangedInt(info, 2, "preset", 0, 255);
  int ret = mbedtls_ssl_config_defaults(&state_->conf, endpoint, transport, preset);
  if (ret == 0) state_->defaultsApplied = true;
  return Napi::Number::New(info.Env(), ret);
}

// setEndpoint(endpoint), setTransport(transport): the single-field setters (DTLSSocketWrapper switches
// the transport of its default config to datagram).
Napi::Value SslConfig::SetEndpoint(const Napi::CallbackInfo& info) {
  CheckThis<SslConfig>(info);
  RefuseInsideCallback(info.Env(), "SslConfig.setEndpoint");
  mbedtls_ssl_conf_endpoint(&state_->conf,
                            RangedInt(info, 0, "endpoint", MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_IS_SERVER));
  return info.Env().Undefined();
}

Napi::Value SslConfig::SetTransport(const Napi::CallbackInfo& info) {
  CheckThis<SslConfig>(info);
  RefuseInsideCallback(info.Env(), "SslConfig.setTransport");
  mbedtls_ssl_conf_transport(
      &state_->conf, RangedInt(info, 0, "transport", MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_TRANSPORT_DATAGRAM));
  return info.Env().Undefined();
}

// setAuthmode(MBEDTLS_SSL_VERIFY_NONE | _OPTIONAL | _REQUIRED)
Napi::Value SslConfig::SetAuthmode(const Napi::CallbackInfo& info) {
  CheckThis<SslConfig>(info);
  RefuseInsideCallback(info.Env(), "SslConfig.setAuthmode");
  mbedtls_ssl_conf_authmode(&state_->conf,
                            RangedInt(info, 0, "authmode", MBEDTLS_SSL_VERIFY_NONE, MBEDTLS_SSL_VERIFY_REQUIRED));
  return info.Env().Undefined();
}

// setCaChain(crt | null): the trusted CAs (mbedtls_ssl_conf_ca_chain, no CRL).
Napi::Value SslConfig::SetCaChain(const Napi::CallbackInfo& info) {
  CheckThis<SslConfig>(info);
  RefuseInsideCallback(info.Env(), "SslConfig.setCaChain");
  std::shared_ptr<CrtState> chain;
  if (!IsNullish(info, 0)) chain = UnwrapArg<X509Crt>(info, 0, "caChain")->State();
  mbedtls_ssl_conf_ca_chain(&state_->conf, chain ? &chain->crt : nullptr, nullptr);
  state_->caChain = chain;
  return info.Env().Undefined();
}

// setOwnCert(crt, key) → raw code. Like mbedtls_ssl_conf_own_cert, each call adds a pair to the list.
Napi::Value SslConfig::SetOwnCert(const Napi::CallbackInfo& info) {
  CheckThis<SslConfig>(info);
  RefuseInsideCallback(info.Env(), "SslConfig.setOwnCert");
  std::shared_ptr<CrtState> crt = UnwrapArg<X509Crt>(info, 0, "crt")->State();
  std::shared_ptr<PkState> key = UnwrapArg<PkContext>(info, 1, "key")->State();
  int ret = mbedtls_ssl_conf_own_cert(&state_->conf, &crt->crt, &key->pk);
  if (ret == 0) state_->ownCerts.emplace_back(crt, key);
  return Napi::Number::New(info.Env(), ret);
}

// setCiphersuites(ids or names, in preference order) → 0, or BAD_INPUT_DATA (nothing changed) when a
// name is unknown to this Mbed TLS build. Unknown numeric ids are kept; Mbed TLS skips them.
Napi::Value SslConfig::SetCiphersuites(const Napi::CallbackInfo& info) {
  CheckThis<SslConfig>(info);
  RefuseInsideCallback(info.Env(), "SslConfig.setCiphersuites");
  Napi::Env env = info.Env();
  if (!info[0].IsArray()) throw Napi::TypeError::New(env, "ciphersuites must be an array of ids or names");
  Napi::Array list = info[0].As<Napi::Array>();
  std::vector<int> next;
  for (uint32_t i = 0; i < list.Length(); i++) {
    Napi::Value item = list.Get(i);
    if (item.IsString()) {
      int id = mbedtls_ssl_get_ciphersuite_id(item.As<Napi::String>().Utf8Value().c_str());
      if (id == 0) return Napi::Number::New(env, MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
      next.push_back(id);
    } else if (item.IsNumber()) {
      double d = item.As<Napi::Number>().DoubleValue();
      if (!(d >= 1 && d <= 0xFFFF && d == static_cast<int>(d))) {
        throw Napi::RangeError::New(env, "ciphersuite ids must be integers from 1 to 65535");
      }
      next.push_back(static_cast<int>(d));
    } else {
      throw Napi::TypeError::New(env, "ciphersuites must be an array of ids or names");
    }
  }
  next.push_back(0);
  state_->ciphersuites.swap(next);
  mbedtls_ssl_conf_ciphersuites(&state_->conf, state_->ciphersuites.data());
  return Napi::Number::New(env, 0);
}

// setMinVersion(major, minor), setMaxVersion(major, minor): e.g. (3, 3) = TLS 1.2 / DTLS 1.2.
Napi::Value SslConfig::SetMinVersion(const Napi::CallbackInfo& info) {
  CheckThis<SslConfig>(info);
  RefuseInsideCallback(info.Env(), "SslConfig.setMinVersion");
  mbedtls_ssl_conf_min_version(&state_->conf, RangedInt(info, 0, "major", 0, 255), RangedInt(info, 1, "minor", 0, 255));
  return info.Env().Undefined();
}

Napi::Value SslConfig::SetMaxVersion(const Napi::CallbackInfo& info) {
  CheckThis<SslConfig>(info);
  RefuseInsideCallback(info.Env(), "SslConfig.setMaxVersion");
  mbedtls_ssl_conf_max_version(&state_->conf, RangedInt(info, 0, "major", 0, 255), RangedInt(info, 1, "minor", 0, 255));
  return info.Env().Undefined();
}

// setRng(drbg | null): the config's random generator (null: every draw fails with NO_RNG).
Napi::Value SslConfig::SetRng(const Napi::CallbackInfo& info) {
  CheckThis<SslConfig>(info);
  RefuseInsideCallback(info.Env(), "SslConfig.setRng");
  std::shared_ptr<DrbgState> rng;
  if (!IsNullish(info, 0)) rng = UnwrapArg<CtrDrbg>(info, 0, "rng")->State();
  mbedtls_ssl_conf_rng(&state_->conf, DrbgRandom, rng.get());
  state_->rng = rng;
  return info.Env().Undefined();
}

// setReadTimeout(ms): 0 = none. With DTLS timers it bounds reads after the handshake (TIMEOUT).
Napi::Value SslConfig::SetReadTimeout(const Napi::CallbackInfo& info) {
  CheckThis<SslConfig>(info);
  RefuseInsideCallback(info.Env(), "SslConfig.setReadTimeout");
  mbedtls_ssl_conf_read_timeout(&state_->conf, static_cast<uint32_t>(IntArg(info, 0, "timeout", 0, UINT32_MAX)));
  return info.Env().Undefined();
}

// setHandshakeTimeout(minMs, maxMs): DTLS retransmission, doubling from min until max is exceeded.
Napi::Value SslConfig::SetHandshakeTimeout(const Napi::CallbackInfo& info) {
  CheckThis<SslConfig>(info);
  RefuseInsideCallback(info.Env(), "SslConfig.setHandshakeTimeout");
  auto min = static_cast<uint32_t>(IntArg(info, 0, "min", 0, UINT32_MAX));
  auto max = static_cast<uint32_t>(IntArg(info, 1, "max", 0, UINT32_MAX));
  mbedtls_ssl_conf_handshake_timeout(&state_->conf, min, max);
  return info.Env().Undefined();
}

// setMaxFragLen(MBEDTLS_SSL_MAX_FRAG_LEN_*) → raw code (BAD_INPUT_DATA for an invalid code).
Napi::Value SslConfig::SetMaxFragLen(const Napi::CallbackInfo& info) {
  CheckThis<SslConfig>(info);
  RefuseInsideCallback(info.Env(), "SslConfig.setMaxFragLen");
  auto code = static_cast<unsigned char>(IntArg(info, 0, "mfl code", 0, 255));
  return Napi::Number::New(info.Env(), mbedtls_ssl_conf_max_frag_len(&state_->conf, code));
}

// setDebug(callback | null): callback(level, file, line, message) for each Mbed TLS debug line at or
// below the process-wide threshold (debugSetThreshold).
Napi::Value SslConfig::SetDebug(const Napi::CallbackInfo& info) {
  CheckThis<SslConfig>(info);
  RefuseInsideCallback(info.Env(), "SslConfig.setDebug");
  if (IsNullish(info, 0)) {
    state_->debug.Reset();
    mbedtls_ssl_conf_dbg(&state_->conf, nullptr, nullptr);
  } else {
    state_->debug = Napi::Persistent(FunctionArg(info, 0, "debug callback"));
    mbedtls_ssl_conf_dbg(&state_->conf, DebugTrampoline, state_.get());
  }
  return info.Env().Undefined();
}

// setVerify(callback | null): callback(depth, certificateInfo, flags) for each certificate of the peer's
// chain during verification; observation only (its return value is ignored).
Napi::Value SslConfig::SetVerify(const Napi::CallbackInfo& info) {
  CheckThis<SslConfig>(info);
  RefuseInsideCallback(info.Env(), "SslConfig.setVerify");
  if (IsNullish(info, 0)) {
    state_->verify.Reset();
    mbedtls_ssl_conf_verify(&state_->conf, nullptr, nullptr);
  } else {
    state_->verify = Napi::Persistent(FunctionArg(info, 0, "verify callback"));
    mbedtls_ssl_conf_verify(&state_->conf, VerifyTrampoline, state_.get());
  }
  return info.Env().Undefined();
}

// setExportKeys(callback | null): callback(masterSecret, clientRandom, serverRandom) once per handshake
// (full or resumed), through mbedtls_ssl_conf_export_keys_ext_cb (needs MBEDTLS_SSL_EXPORT_KEYS, on in
// Debian's 2.28 build).
Napi::Value SslConfig::SetExportKeys(const Napi::CallbackInfo& info) {
  CheckThis<SslConfig>(info);
  RefuseInsideCallback(info.Env(), "SslConfig.setExportKeys");
  if (IsNullish(info, 0)) {
    state_->exportKeys.Reset();
    mbedtls_ssl_conf_export_keys_ext_cb(&state_->conf, nullptr, nullptr);
  } else {
    state_->exportKeys = Napi::Persistent(FunctionArg(info, 0, "export keys callback"));
    mbedtls_ssl_conf_export_keys_ext_cb(&state_->conf, ExportKeysTrampoline, state_.get());
  }
  return info.Env().Undefined();
}

// setDtlsCookies(drbg | null) → raw code. Server role: with a DRBG, HelloVerifyRequest cookies keyed from
// it (mbedtls_ssl_cookie_setup + mbedtls_ssl_conf_dtls_cookies); null disables cookies.
Napi::Value SslConfig::SetDtlsCookies(const Napi::CallbackInfo& info) {
  CheckThis<SslConfig>(info);
  RefuseInsideCallback(info.Env(), "SslConfig.setDtlsCookies");
  if (IsNullish(info, 0)) {
    mbedtls_ssl_conf_dtls_cookies(&state_->conf, nullptr, nullptr, nullptr);
    return Napi::Number::New(info.Env(), 0);
  }
  std::shared_ptr<DrbgState> rng = UnwrapArg<CtrDrbg>(info, 0, "rng")->State();
  if (state_->cookiesSetUp) {
    // A second setup would leak the first HMAC context; contexts never keep the cookie context itself.
    mbedtls_ssl_conf_dtls_cookies(&state_->conf, nullptr, nullptr, nullptr);
    mbedtls_ssl_cookie_free(&state_->cookie);
    mbedtls_ssl_cookie_init(&state_->cookie);
    state_->cookiesSetUp = false;
  }
  int ret = mbedtls_ssl_cookie_setup(&state_->cookie, DrbgRandom, rng.get());
  if (ret == 0) {
    state_->cookiesSetUp = true;
    state_->cookieRng = rng;
    mbedtls_ssl_conf_dtls_cookies(&state_->conf, mbedtls_ssl_cookie_write, mbedtls_ssl_cookie_check,
                                  &state_->cookie);
  }
  return Napi::Number::New(info.Env(), ret);
}

// setDtlsAntiReplay(enabled)
Napi::Value SslConfig::SetDtlsAntiReplay(const Napi::CallbackInfo& info) {
  CheckThis<SslConfig>(info);
  RefuseInsideCallback(info.Env(), "SslConfig.setDtlsAntiReplay");
  mbedtls_ssl_conf_dtls_anti_replay(&state_->conf, BoolArg(info, 0, "enabled") ? MBEDTLS_SSL_ANTI_REPLAY_ENABLED
                                                                                 : MBEDTLS_SSL_ANTI_REPLAY_DISABLED);
  return info.Env().Undefined();
}

// setSessionCache(maxEntries, timeoutSeconds): a server keeps the sessions it negotiates in an
// mbedtls_ssl_cache (ssl_cache.h) and resumes a client that offers one's ID; the cache belongs to this
// config and lives as long as it does.
Napi::Value SslConfig::SetSessionCache(const Napi::CallbackInfo& info) {
  CheckThis<SslConfig>(info);
  RefuseInsideCallback(info.Env(), "SslConfig.setSessionCache");
  mbedtls_ssl_cache_set_max_entries(&state_->cache, static_cast<int>(IntArg(info, 0, "maxEntries", 1, 100000)));
  mbedtls_ssl_cache_set_timeout(&state_->cache, static_cast<int>(IntArg(info, 1, "timeoutSeconds", 1, 86400)));
  mbedtls_ssl_conf_session_cache(&state_->conf, &state_->cache, mbedtls_ssl_cache_get, mbedtls_ssl_cache_set);
  return info.Env().Undefined();
}

// free(): lets go of this object's config (with its callbacks and the certificates, keys and DRBGs it
// holds) and starts over with an empty one (defaults needed again). Contexts already set up with the old
// config keep it, unchanged, until they are freed themselves. JS has no destructors, and the debug and
// verify callbacks usually close over the socket that owns the config: without free() such a pair is
// held by a native reference and never collected.
Napi::Value SslConfig::Free(const Napi::CallbackInfo& info) {
  CheckThis<SslConfig>(info);
  RefuseInsideCallback(info.Env(), "SslConfig.free");
  state_ = std::make_shared<ConfigState>();
  return info.Env().Undefined();
}

}  // namespace tlssim
