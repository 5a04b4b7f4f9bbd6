// Whole synthetic runs for the analyser's tests: one TLS echo session in each mode, written as the
// Mbed OS BG96 driver would drive it (mbed-os QUECTEL_BG96_CellularStack.cpp). mbedtls mode carries real TLS bytes
// (from captureTlsSession) in QISEND/QIRD; offload mode uploads real PEM credentials with QFUPL and
// sends the message itself with QSSLSEND.
import type { LabPki } from '../../../../lab/pki/lab-pki.ts';
import type { Trace } from '../../../../shared/trace/trace-reader.ts';
import type { TlsCapture } from './tls-capture.ts';
import { TraceScript } from './trace-script.ts';

export interface SessionTrace {
  trace: Trace;
  file: string;
}

/** Read sizes that cut records and even record headers across QIRD answers. */
const READ_SIZES = [3, 7, 5, 200, 1500, 2, 64];

export async function mbedtlsSessionTrace(capture: TlsCapture, chunk = 0): Promise<SessionTrace> {
  const s = new TraceScript({ mode: 'mbedtls', scenario: 'tls-echo' }, chunk).boot();
  s.at('AT+QIDNSGIP=1,"echo.tlssim.test"', 'OK')
    .urc('+QIURC: "dnsgip",0,1,600')
    .urc('+QIURC: "dnsgip","127.0.0.1"');
  s.qiopen(0, 'TCP', '127.0.0.1', 4433);
  let read = 0;
  const rounds = Math.max(capture.clientChunks.length, capture.serverChunks.length);
  for (let i = 0; i < rounds; i++) {
    const out = capture.clientChunks[i];
    if (out) {
      // The first flight goes out in two sends cut inside the record header, later ones whole
      // (in pieces of at most 1460 bytes, the BG96 send limit).
      const cuts = i === 0 ? [3] : [];
      let at = 0;
      for (const cut of [...cuts, out.length]) {
        for (let p = at; p < cut; p += 1460) s.qisend(0, out.subarray(p, Math.min(cut, p + 1460)));
        at = cut;
      }
    }
    const back = capture.serverChunks[i];
    if (back) {
      s.urc('+QIURC: "recv",0');
      for (let at = 0; at < back.length; ) {
        const n = READ_SIZES[read++ % READ_SIZES.length];
        s.qird(0, back.subarray(at, at + n));
        at += n;
      }
    }
  }
  s.at('AT+QIRD=0,1500', '+QIRD: 0', 'OK').urc('+QIURC: "closed",0').at('AT+QICLOSE=0', 'OK');
  return { trace: await s.done(), file: s.file };
}

export async function offloadSessionTrace(pki: LabPki, message: string, chunk = 0): Promise<SessionTrace> {
  const s = new TraceScript({ mode: 'offload', scenario: 'tls-echo' }, chunk).boot();
  for (let i = 0; i < 12; i++) s.at(`AT+QSSLCLOSE=${i}`, 'OK');
  s.qfupl('cacert.pem', pki.caPem).at('AT+QSSLCFG="cacert",0,"cacert.pem"', 'OK');
  s.qfupl('clcert.pem', pki.clientCertPem).at('AT+QSSLCFG="clientcert",0,"clcert.pem"', 'OK');
  s.qfupl('client.key', pki.clientKeyPem).at('AT+QSSLCFG="clientkey",0,"client.key"', 'OK');
  s.at('AT+QSSLCFG="checkhost",0,"echo.tlssim.test"', 'OK');
  s.at('AT+QSSLCFG="seclevel",0,2', 'OK').at('AT+QSSLCFG="sslversion",0,4', 'OK');
  s.at('AT+QSSLCFG="ciphersuite",0,0xFFFF', 'OK');
  s.at('AT+QSSLOPEN=1,0,0,"127.0.0.1",4433,0', 'OK').urc('+QSSLOPEN: 0,0');
  s.qsslsend(0, message).urc('+QSSLURC: "recv",0').qsslrecv(0, message);
  s.at('AT+QSSLRECV=0,1500', '+QSSLRECV: 0', 'OK');
  s.at('AT+QSSLCLOSE=0', 'OK').at('AT+QSSLCFG="seclevel",0,0', 'OK');
  return { trace: await s.done(), file: s.file };
}
