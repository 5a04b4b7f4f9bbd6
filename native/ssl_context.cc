#include "ssl_context.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "args.h"
#include "callback_scope.h"
#include "ssl_session.h"

namespace tlssim {

const napi_type_tag SslContext::kTypeTag = {0x746c7373696d0005ULL, 0x73736c5f63747874ULL};

namespace {

// What Mbed TLS gets from a BIO callback that threw or answered nonsense; the JS exception itself is
// rethrown by the binding method once Mbed TLS returns.
constexpr int kCallbackFailed = MBEDTLS_ERR_SSL_INTERNAL_ERROR;

bool IsInteger(const Napi::Value& value, double min, double max, double* out) {
  if (!value.IsNumber()) return false;
  double d = value.As<Napi::Number>().DoubleValue();
  if (!(d >= min && d <= max) || d != static_cast<double>(static_cast<int64_t>(d))) return false;
  *out = d;
  return true;
}

}  // namespace

Napi::Function SslContext::Init(Napi::Env env) {
  return DefineClass(env, kClassName,
                     {
                         InstanceMethod<&SslContext::Setup>("setup"),
                         InstanceMethod<&SslContext::SetHostname>("setHostname"),
                         InstanceMethod<&SslContext::SetBio>("setBio"),
                         InstanceMethod<&SslContext::SetTimer>("setTimer"),
                         InstanceMethod<&SslContext::Handshake>("handshake"),
                         InstanceMethod<&SslContext::Read>("read"),
                         InstanceMethod<&SslContext::Write>("write"),
                         InstanceMethod<&SslContext::CloseNotify>("closeNotify"),
                         InstanceMethod<&SslContext::SessionReset>("sessionReset"),
                         InstanceMethod<&SslContext::SetClientTransportId>("setClientTransportId"),
                         InstanceMethod<&SslContext::GetVerifyResult>("getVerifyResult"),
                         InstanceMethod<&SslContext::GetVersion>("getVersion"),
                         InstanceMethod<&SslContext::GetCiphersuite>("getCiphersuite"),
                         InstanceMethod<&SslContext::GetBytesAvail>("getBytesAvail"),
                         InstanceMethod<&SslContext::GetMaxOutRecordPayload>("getMaxOutRecordPayload"),
                         InstanceMethod<&SslContext::CheckPending>("checkPending"),
                         InstanceMethod<&SslContext::GetPeerCert>("getPeerCert"),
                         InstanceMethod<&SslContext::GetSession>("getSession"),
                         InstanceMethod<&SslContext::IsResumed>("isResumed"),
                         InstanceMethod<&SslContext::SetSession>("setSession"),
                         InstanceMethod<&SslContext::Free>("free"),
                     });
}

SslContext::SslContext(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SslContext>(info) {
  info.This().As<Napi::Object>().TypeTag(&kTypeTag);
  mbedtls_ssl_init(&ssl_);
  InstallCallbacks();
}

SslContext::~SslContext() {
  // A GC finalizer: the debug lines mbedtls_ssl_free prints must reach no JS, even when the collection
  // happens during another context's Mbed TLS call. config_ is released only after this body, so
  // ssl_.conf is still valid while the context is freed.
  NoJsCallbacks noJs;
  mbedtls_ssl_free(&ssl_);
}

// The trampolines always point at this object; they look at the JS references to see what is set.
void SslContext::InstallCallbacks() {
  mbedtls_ssl_set_bio(&ssl_, this, send_.IsEmpty() ? nullptr : BioSend, recv_.IsEmpty() ? nullptr : BioRecv,
                      nullptr);
  if (setDelay_.IsEmpty()) {
    mbedtls_ssl_set_timer_cb(&ssl_, nullptr, nullptr, nullptr);
  } else {
    mbedtls_ssl_set_timer_cb(&ssl_, this, TimerSetDelay, TimerGetDelay);
  }
}

// f_send: send(data: Buffer) → bytes taken (0..data.length) or a negative code such as WANT_WRITE.
int SslContext::BioSend(void* p, const unsigned char* buf, size_t len) noexcept {
  auto* self = static_cast<SslContext*>(p);
  CallbackScope* scope = CallbackScope::Current();
  if (scope == nullptr || self->send_.IsEmpty()) return kCallbackFailed;
  try {
    Napi::Env env = scope->Env();
    Napi::HandleScope handles(env);
    Napi::Value result = self->send_.Value().Call({Napi::Buffer<uint8_t>::Copy(env, buf, len)});
    double n;
    if (!IsInteger(result, INT32_MIN, static_cast<double>(len), &n)) {
      scope->CaptureTypeError("send callback must return the number of bytes sent (at most data.length) or a "
                              "negative Mbed TLS error code");
      return kCallbackFailed;
    }
    return static_cast<int>(n);
  } catch (const Napi::Error& e) {
    scope->Capture(e);
  } catch (...) {
    scope->CaptureUnknown();
  }
  return kCallbackFailed;
}

// f_recv: recv(maxLength) → the bytes available (a Uint8Array of 1..maxLength bytes), 0 for end of
// stream, or a negative code such as WANT_READ.
int SslContext::BioRecv(void* p, unsigned char* buf, size_t len) noexcept {
  auto* self = static_cast<SslContext*>(p);
  CallbackScope* scope = CallbackScope::Current();
  if (scope == nullptr || self->recv_.IsEmpty()) return kCallbackFailed;
  try {
    Napi::Env env = scope->Env();
    Napi::HandleScope handles(env);
    Napi::Value result = self->recv_.Value().Call({Napi::Number::New(env, static_cast<double>(len))});
    if (IsBytes(result)) {
      Napi::Uint8Array bytes = result.As<Napi::Uint8Array>();
      if (bytes.ByteLength() > len) {
        scope->CaptureRangeError("recv callback returned more bytes than the maxLength asked for");
        return kCallbackFailed;
      }
      if (bytes.ByteLength() > 0) std::memcpy(buf, bytes.Data(), bytes.ByteLength());
      return static_cast<int>(bytes.ByteLength());
    }
    double n;
    if (!IsInteger(result, INT32_MIN, 0, &n)) {
      scope->CaptureTypeError("recv callback must return a Uint8Array, 0 (end of stream) or a negative Mbed TLS "
                              "error code");
      return kCallbackFailed;
    }
    return static_cast<int>(n);
  } catch (const Napi::Error& e) {
    scope->Capture(e);
  } catch (...) {
    scope->CaptureUnknown();
  }
  return kCallbackFailed;
}

// f_set_timer: setDelay(intermediateMs, finalMs); finalMs 0 cancels the timer.
void SslContext::TimerSetDelay(void* p, uint32_t intermediateMs, uint32_t finalMs) noexcept {
  auto* self = static_cast<SslContext*>(p);
  CallbackScope* scope = CallbackScope::Current();
  if (scope == nullptr || self->setDelay_.IsEmpty()) return;
  try {
    Napi::Env env = scope->Env();
    Napi::HandleScope handles(env);
    self->setDelay_.Value().Call({Napi::Number::New(env, intermediateMs), Napi::Number::New(env, finalMs)});
  } catch (const Napi::Error& e) {
    scope->Capture(e);
  } catch (...) {
    scope->CaptureUnknown();
  }
}

// f_get_timer: getDelay() → -1 cancelled, 0 running, 1 intermediate delay passed, 2 final delay passed.
int SslContext::TimerGetDelay(void* p) noexcept {
  auto* self = static_cast<SslContext*>(p);
  CallbackScope* scope = CallbackScope::Current();
  if (scope == nullptr || self->getDelay_.IsEmpty()) return -1;
  try {
    Napi::Env env = scope->Env();
    Napi::HandleScope handles(env);
    Napi::Value result = self->getDelay_.Value().Call({});
    double n;
    if (IsInteger(result, -1, 2, &n)) return static_cast<int>(n);
    scope->CaptureTypeError("getDelay callback must return -1, 0, 1 or 2");
  } catch (const Napi::Error& e) {
    scope->Capture(e);
  } catch (...) {
    scope->CaptureUnknown();
  }
  return 0;  // "running": the failed call changes nothing in Mbed TLS's timer logic
}

// setup(config) → raw code. BAD_INPUT_DATA if already set up or the config never got its defaults.
Napi::Value SslContext::Setup(const Napi::CallbackInfo& info) {
  CheckThis<SslContext>(info);
  RefuseInsideCallback(info.Env(), "SslContext.setup");
  std::shared_ptr<ConfigState> config = UnwrapArg<SslConfig>(info, 0, "config")->State();
  if (IsSetUp() || !config->defaultsApplied) return Napi::Number::New(info.Env(), MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
  int ret = mbedtls_ssl_setup(&ssl_, &config->conf);
  if (ret == 0) {
    config_ = config;
  } else {
    // Leave a clean, reusable context rather than a half-initialised one.
    mbedtls_ssl_free(&ssl_);
    mbedtls_ssl_init(&ssl_);
    InstallCallbacks();
  }
  return Napi::Number::New(info.Env(), ret);
}

// setHostname(name | null) → raw code: SNI and the name the server certificate must match.
Napi::Value SslContext::SetHostname(const Napi::CallbackInfo& info) {
  CheckThis<SslContext>(info);
  RefuseInsideCallback(info.Env(), "SslContext.setHostname");
  if (IsNullish(info, 0)) return Napi::Number::New(info.Env(), mbedtls_ssl_set_hostname(&ssl_, nullptr));
  std::string hostname = StringArg(info, 0, "hostname");
  return Napi::Number::New(info.Env(), mbedtls_ssl_set_hostname(&ssl_, hostname.c_str()));
}

// setBio(send | null, recv | null)
Napi::Value SslContext::SetBio(const Napi::CallbackInfo& info) {
  CheckThis<SslContext>(info);
  RefuseInsideCallback(info.Env(), "SslContext.setBio");
  Napi::FunctionReference send, recv;
  if (!IsNullish(info, 0)) send = Napi::Persistent(FunctionArg(info, 0, "send"));
  if (!IsNullish(info, 1)) recv = Napi::Persistent(FunctionArg(info, 1, "recv"));
  send_ = std::move(send);
  recv_ = std::move(recv);
  InstallCallbacks();
  return info.Env().Undefined();
}

// setTimer(setDelay, getDelay) or setTimer(null, null)
Napi::Value SslContext::SetTimer(const Napi::CallbackInfo& info) {
  CheckThis<SslContext>(info);
  RefuseInsideCallback(info.Env(), "SslContext.setTimer");
  Napi::FunctionReference setDelay, getDelay;
  if (!(IsNullish(info, 0) && IsNullish(info, 1))) {
    setDelay = Napi::Persistent(FunctionArg(info, 0, "setDelay"));
    getDelay = Napi::Persistent(FunctionArg(info, 1, "getDelay"));
  }
  setDelay_ = std::move(setDelay);
  getDelay_ = std::move(getDelay);
  InstallCallbacks();
  return info.Env().Undefined();
}

Napi::Value SslContext::Handshake(const Napi::CallbackInfo& info) {
  CheckThis<SslContext>(info);
  RefuseInsideCallback(info.Env(), "SslContext.handshake");
  if (!IsSetUp()) return Napi::Number::New(info.Env(), MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
  return Napi::Number::New(info.Env(), CallMbedtls(info.Env(), [&] { return mbedtls_ssl_handshake(&ssl_); }));
}

// isResumed() → true when the completed handshake resumed the session setSession offered (ticket or
// session ID): a resumed session keeps its master secret, a full handshake makes a new one. Mbed TLS 2.28
// has no public call for this, and its handshake->resume flag is gone once the handshake ends.
Napi::Value SslContext::IsResumed(const Napi::CallbackInfo& info) {
  CheckThis<SslContext>(info);
  bool resumed = offeredSession_ && ssl_.state == MBEDTLS_SSL_HANDSHAKE_OVER && ssl_.session != nullptr &&
                 std::memcmp(ssl_.session->master, offeredMaster_, sizeof offeredMaster_) == 0;
  return Napi::Boolean::New(info.Env(), resumed);
}

// read(buffer) → bytes read into buffer (> 0), or a raw code (0 and PEER_CLOSE_NOTIFY mean closed).
Napi::Value SslContext::Read(const Napi::CallbackInfo& info) {
  CheckThis<SslContext>(info);
  RefuseInsideCallback(info.Env(), "SslContext.read");
  size_t wanted = BytesArg(info, 0, "buffer").ByteLength();
  if (!IsSetUp()) return Napi::Number::New(info.Env(), MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
  // Staged in native memory: the callbacks run JS that could detach the caller's buffer meanwhile. One
  // call never returns more than one record's content, so the cap changes nothing.
  std::vector<unsigned char> staging(std::max<size_t>(1, std::min<size_t>(wanted, MBEDTLS_SSL_IN_CONTENT_LEN)));
  size_t length = std::min(wanted, staging.size());
  int ret = CallMbedtls(info.Env(), [&] { return mbedtls_ssl_read(&ssl_, staging.data(), length); });
  if (ret > 0) {
    Napi::Uint8Array target = info[0].As<Napi::Uint8Array>();  // fresh view: length may have changed
    size_t n = std::min<size_t>(static_cast<size_t>(ret), target.ByteLength());
    if (n > 0) std::memcpy(target.Data(), staging.data(), n);
  }
  return Napi::Number::New(info.Env(), ret);
}

// write(data) → bytes written (one record at most: may be fewer than data.length), or a raw code.
// After WANT_WRITE / WANT_READ, call again with the same data.
Napi::Value SslContext::Write(const Napi::CallbackInfo& info) {
  CheckThis<SslContext>(info);
  RefuseInsideCallback(info.Env(), "SslContext.write");
  Napi::Uint8Array data = BytesArg(info, 0, "data");
  if (!IsSetUp()) return Napi::Number::New(info.Env(), MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
  // Copied for the same reason as in read(); one byte beyond a record keeps DTLS's "too long" error.
  size_t length = std::min<size_t>(data.ByteLength(), MBEDTLS_SSL_OUT_CONTENT_LEN + 1);
  std::vector<unsigned char> copy(BytesData(data), BytesData(data) + length);
  copy.reserve(1);
  return Napi::Number::New(info.Env(),
                           CallMbedtls(info.Env(), [&] { return mbedtls_ssl_write(&ssl_, copy.data(), length); }));
}

Napi::Value SslContext::CloseNotify(const Napi::CallbackInfo& info) {
  CheckThis<SslContext>(info);
  RefuseInsideCallback(info.Env(), "SslContext.closeNotify");
  if (!IsSetUp()) return Napi::Number::New(info.Env(), MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
  return Napi::Number::New(info.Env(), CallMbedtls(info.Env(), [&] { return mbedtls_ssl_close_notify(&ssl_); }));
}

// sessionReset() → raw code: ready for a new handshake on the same config (e.g. after a DTLS
// HelloVerifyRequest, or for the next client of a server).
Napi::Value SslContext::SessionReset(const Napi::CallbackInfo& info) {
  CheckThis<SslContext>(info);
  RefuseInsideCallback(info.Env(), "SslContext.sessionReset");
  if (!IsSetUp()) return Napi::Number::New(info.Env(), MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
  return Napi::Number::New(info.Env(), CallMbedtls(info.Env(), [&] { return mbedtls_ssl_session_reset(&ssl_); }));
}

// setClientTransportId(bytes) → raw code. DTLS server: the client's address, bound into its cookie.
Napi::Value SslContext::SetClientTransportId(const Napi::CallbackInfo& info) {
  CheckThis<SslContext>(info);
  RefuseInsideCallback(info.Env(), "SslContext.setClientTransportId");
  Napi::Uint8Array id = BytesArg(info, 0, "id");
  if (!IsSetUp()) return Napi::Number::New(info.Env(), MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
  return Napi::Number::New(info.Env(), mbedtls_ssl_set_client_transport_id(&ssl_, BytesData(id), id.ByteLength()));
}

// getVerifyResult() → X.509 verification flags (0 = verified; 0xFFFFFFFF = no result yet).
Napi::Value SslContext::GetVerifyResult(const Napi::CallbackInfo& info) {
  CheckThis<SslContext>(info);
  return Napi::Number::New(info.Env(), mbedtls_ssl_get_verify_result(&ssl_));
}

// getVersion() → "TLSv1.2", "DTLSv1.2", … ("unknown" before setup).
Napi::Value SslContext::GetVersion(const Napi::CallbackInfo& info) {
  CheckThis<SslContext>(info);
  return Napi::String::New(info.Env(), IsSetUp() ? mbedtls_ssl_get_version(&ssl_) : "unknown");
}

// getCiphersuite() → the negotiated suite's name, or null before a session exists.
Napi::Value SslContext::GetCiphersuite(const Napi::CallbackInfo& info) {
  CheckThis<SslContext>(info);
  const char* name = mbedtls_ssl_get_ciphersuite(&ssl_);
  return name == nullptr ? info.Env().Null() : Napi::String::New(info.Env(), name);
}

Napi::Value SslContext::GetBytesAvail(const Napi::CallbackInfo& info) {
  CheckThis<SslContext>(info);
  return Napi::Number::New(info.Env(), static_cast<double>(mbedtls_ssl_get_bytes_avail(&ssl_)));
}

// getMaxOutRecordPayload() → the largest write() that fits one record, or a raw code.
Napi::Value SslContext::GetMaxOutRecordPayload(const Napi::CallbackInfo& info) {
  CheckThis<SslContext>(info);
  if (!IsSetUp()) return Napi::Number::New(info.Env(), MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
  return Napi::Number::New(info.Env(), mbedtls_ssl_get_max_out_record_payload(&ssl_));
}

// checkPending() → 1 if data already received but not yet processed (e.g. a second DTLS record in the
// last datagram), else 0.
Napi::Value SslContext::CheckPending(const Napi::CallbackInfo& info) {
  CheckThis<SslContext>(info);
  if (!IsSetUp()) return Napi::Number::New(info.Env(), 0);
  return Napi::Number::New(info.Env(), mbedtls_ssl_check_pending(&ssl_));
}

// getPeerCert() → { subject, issuer, info } of the peer's certificate, or null.
Napi::Value SslContext::GetPeerCert(const Napi::CallbackInfo& info) {
  CheckThis<SslContext>(info);
  const mbedtls_x509_crt* crt = mbedtls_ssl_get_peer_cert(&ssl_);
  if (crt == nullptr || crt->version == 0) return info.Env().Null();
  Napi::Object result = Napi::Object::New(info.Env());
  result.Set("subject", DistinguishedName(&crt->subject));
  result.Set("issuer", DistinguishedName(&crt->issuer));
  result.Set("info", CertificateInfo(crt, ""));
  return result;
}

// free(): frees the Mbed TLS context and lets go of the config and every callback, leaving a fresh
// context (setup needed again). TLSSocketWrapper's destructor work; see SslConfig.free for why JS needs it.
Napi::Value SslContext::Free(const Napi::CallbackInfo& info) {
  CheckThis<SslContext>(info);
  RefuseInsideCallback(info.Env(), "SslContext.free");
  mbedtls_ssl_free(&ssl_);
  mbedtls_ssl_init(&ssl_);
  offeredSession_ = false;
  config_.reset();
  send_.Reset();
  recv_.Reset();
  setDelay_.Reset();
  getDelay_.Reset();
  InstallCallbacks();
  return info.Env().Undefined();
}

// getSession(session) → raw code: mbedtls_ssl_get_session copies this connection's session (after a
// completed handshake, client side) into `session`, replacing what it held.
Napi::Value SslContext::GetSession(const Napi::CallbackInfo& info) {
  CheckThis<SslContext>(info);
  RefuseInsideCallback(info.Env(), "SslContext.getSession");
  SslSession* session = UnwrapArg<SslSession>(info, 0, "session");
  if (!IsSetUp()) return Napi::Number::New(info.Env(), MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
  session->Clear();
  return Napi::Number::New(info.Env(), mbedtls_ssl_get_session(&ssl_, session->Get()));
}

// setSession(session) → raw code: mbedtls_ssl_set_session, so the next handshake offers that session
// (its ID, and its ticket if it has one). Call after setup, before the handshake.
Napi::Value SslContext::SetSession(const Napi::CallbackInfo& info) {
  CheckThis<SslContext>(info);
  RefuseInsideCallback(info.Env(), "SslContext.setSession");
  SslSession* session = UnwrapArg<SslSession>(info, 0, "session");
  if (!IsSetUp()) return Napi::Number::New(info.Env(), MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
  int ret = mbedtls_ssl_set_session(&ssl_, session->Get());
  if (ret == 0) {
    std::memcpy(offeredMaster_, session->Get()->master, sizeof offeredMaster_);
    offeredSession_ = true;
  }
  return Napi::Number::New(info.Env(), ret);
}

}  // namespace tlssim
