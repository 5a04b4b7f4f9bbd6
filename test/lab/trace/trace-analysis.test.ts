import { expect } from 'chai';
import type { LabPki } from '../../../lab/pki/lab-pki.ts';
import { findInClear } from '../../../lab/trace/clear-search.ts';
import type { RecordPart } from '../../../lab/trace/payload-part.ts';
import { analyzeTrace } from '../../../lab/trace/trace-analysis.ts';
import { renderTranscript } from '../../../lab/trace/transcript.ts';
import { sharedTestPki } from '../pki/shared-test-pki.ts';
import { mbedtlsSessionTrace, offloadSessionTrace } from './helpers/session-traces.ts';
import { captureTlsSession, recordTypes, type TlsCapture } from './helpers/tls-capture.ts';
import { TraceScript } from './helpers/trace-script.ts';

const MESSAGE = 'GET /secret-reading?temperature=21.5 HTTP/1.1';
const NAMES: Record<number, string> = {
  20: 'change_cipher_spec',
  21: 'alert',
  22: 'handshake',
  23: 'application_data',
};

function tally(types: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of types) out[NAMES[t]] = (out[NAMES[t]] ?? 0) + 1;
  return out;
}

describe('trace analysis', () => {
  let pki: LabPki;
  let capture: TlsCapture;

  before(async () => {
    pki = await sharedTestPki();
    capture = await captureTlsSession(pki, MESSAGE);
  });

  describe('mbedtls mode: real TLS 1.2 bytes inside QISEND/QIRD', () => {
    it('counts every record of both directions, even when reads cut records and headers apart', async () => {
      for (const chunk of [0, 17]) {
        const { trace } = await mbedtlsSessionTrace(capture, chunk);
        const { summary } = analyzeTrace(trace);
        expect(summary.recordsByType).to.deep.equal(
          tally([...recordTypes(capture.client), ...recordTypes(capture.server)]),
        );
        expect(summary.tlsBytes).to.deep.equal({
          tx: capture.client.length,
          rx: capture.server.length,
          total: capture.client.length + capture.server.length,
        });
        expect(summary.plaintextBytes.total).to.equal(0);
        expect(summary.bytes.total).to.equal(summary.atOverheadBytes.total + summary.tlsBytes.total);
        expect(summary.warnings).to.equal(0);
      }
    });

    it('names the handshake messages sent in clear and nothing of what follows ChangeCipherSpec', async () => {
      const analysis = analyzeTrace((await mbedtlsSessionTrace(capture)).trace);
      const { summary } = analysis;
      expect(summary.handshakeMessages).to.include({
        ClientHello: 1,
        ServerHello: 1,
        Certificate: 1,
        ServerHelloDone: 1,
        ClientKeyExchange: 1,
        'Finished (encrypted)': 2,
      });
      const records = analysis.phases.flatMap((p) =>
        p.parts.filter((x): x is RecordPart => x.kind === 'record'),
      );
      const hello = records.find((p) => p.record.messages[0]?.startsWith('ClientHello'));
      expect(hello?.record.messages[0]).to.equal(`ClientHello (SNI ${capture.servername})`);
      const appData = records.filter((p) => p.record.contentType === 23);
      expect(appData.length).to.be.greaterThan(0);
      expect(appData.every((p) => p.record.encrypted)).to.equal(true);
      // The handshake is every handshake and change_cipher_spec byte.
      const handshakeBytes = (stream: Buffer) => {
        let n = 0;
        for (let at = 0; at + 5 <= stream.length; at += 5 + stream.readUInt16BE(at + 3))
          if (stream[at] === 22 || stream[at] === 20) n += 5 + stream.readUInt16BE(at + 3);
        return n;
      };
      expect(summary.handshakeBytes.tx).to.equal(handshakeBytes(capture.client));
      expect(summary.handshakeBytes.rx).to.equal(handshakeBytes(capture.server));
      expect(summary.handshakes).to.have.length(1);
      expect(summary.handshakes[0]).to.include({ seenAs: 'tls-records', ok: true });
    });

    it('shows no plaintext and no credential: the message never appears in the transcript', async () => {
      const analysis = analyzeTrace((await mbedtlsSessionTrace(capture)).trace);
      const transcript = renderTranscript(analysis);
      expect(transcript).not.to.include('secret-reading');
      expect(transcript).to.match(
        /QISEND data → socket 0 \(TCP 127\.0\.0\.1:4433\), \d+ B: TLS 1 record \(ciphertext\)/,
      );
      expect(transcript).to.match(/TLS 1\.2 application_data \d+ B: encrypted/);
      expect(transcript).to.match(/\[3 B here, continues\]: ClientHello/);
      expect(analysis.summary.secrets).to.deep.include({ privateKeys: 0, certificates: 0 });
    });
  });

  describe('offload mode: PEM uploads and plaintext QSSLSEND/QSSLRECV', () => {
    it('flags the uploaded private key and certificates, and shows the message in clear', async () => {
      const analysis = analyzeTrace((await offloadSessionTrace(pki, MESSAGE, 23)).trace);
      const { summary } = analysis;
      expect(summary.secrets.privateKeys).to.equal(1);
      expect(summary.secrets.certificates).to.equal(2);
      expect(summary.secrets.seen.map((s) => [s.kind, s.file, s.label])).to.deep.equal([
        ['certificate', 'cacert.pem', 'CERTIFICATE'],
        ['certificate', 'clcert.pem', 'CERTIFICATE'],
        ['private-key', 'client.key', 'RSA PRIVATE KEY'],
      ]);
      expect(summary.uploadBytes).to.equal(
        pki.caPem.length + pki.clientCertPem.length + pki.clientKeyPem.length,
      );
      expect(summary.plaintextBytes).to.deep.equal({
        tx: MESSAGE.length,
        rx: MESSAGE.length,
        total: 2 * MESSAGE.length,
      });
      expect(summary.tlsBytes.total).to.equal(0);
      expect(summary.handshakes.map((h) => [h.seenAs, h.ok])).to.deep.equal([['qsslopen', true]]);
      expect(summary.bytes.total).to.equal(
        summary.atOverheadBytes.total + summary.plaintextBytes.total + summary.uploadBytes,
      );
      const transcript = renderTranscript(analysis);
      expect(transcript).to.include(
        `QSSLSEND data → ssl 0 (modem TLS 127.0.0.1:4433), ${MESSAGE.length} B: PLAINTEXT "${MESSAGE}"`,
      );
      expect(transcript).to.match(
        /QFUPL data → file "client\.key", \d+ B: UPLOAD .*⚠ PRIVATE KEY \(RSA PRIVATE KEY\)/,
      );
    });

    it('finds a key sent over a socket in pieces, and judges a non-PEM upload by its file name', async () => {
      const key = pki.clientKeyPem;
      const s = new TraceScript();
      s.at('AT+QSSLOPEN=1,0,1,"127.0.0.1",4433,0', 'OK').urc('+QSSLOPEN: 1,0');
      s.qsslsend(1, key.slice(0, 9)).qsslsend(1, key.slice(9));
      s.qfupl('client.key', Buffer.from([0x30, 0x82, 0x04, 0xa4]));
      const { summary, phases } = analyzeTrace(await s.done());
      expect(summary.secrets.seen.map((x) => [x.kind, x.via, x.label])).to.deep.equal([
        ['private-key', 'QSSLSEND', 'RSA PRIVATE KEY'],
        ['private-key', 'QFUPL', 'file name'],
      ]);
      expect(phases[0].secrets).to.have.length(1);
    });
  });

  it('says where a text crossed readable: in offload plaintext, never inside TLS records or AT lines', async () => {
    const offload = analyzeTrace((await offloadSessionTrace(pki, MESSAGE)).trace);
    expect(findInClear(offload, MESSAGE).map((x) => [x.phase.event.via, x.phase.event.dir])).to.deep.equal([
      ['QSSLSEND', 'tx'],
      ['QSSLRECV', 'rx'],
    ]);
    expect(findInClear(offload, 'PRIVATE KEY-----').map((x) => x.phase.event.file)).to.deep.equal([
      'client.key',
      'client.key',
    ]);
    // "OK" and "QSSLOPEN" cross as AT text only; that is not the application's data.
    expect(findInClear(offload, 'QSSLOPEN')).to.deep.equal([]);
    const mbedtls = analyzeTrace((await mbedtlsSessionTrace(capture)).trace);
    expect(findInClear(mbedtls, MESSAGE)).to.deep.equal([]);
    const split = new TraceScript();
    split.qsslsend(0, 'the pass').qsslsend(0, 'word is 1234');
    expect(
      findInClear(analyzeTrace(await split.done()), 'password').map((x) => x.phase.event.payload.toString()),
    ).to.deep.equal(['the pass']);
  });

  it('reads DTLS records datagram by datagram on a UDP SERVICE socket', async () => {
    const record = (type: number, epoch: number, seq: number, fragment: Buffer) => {
      const head = Buffer.alloc(13);
      head[0] = type;
      head[1] = 0xfe;
      head[2] = 0xfd;
      head.writeUInt16BE(epoch, 3);
      head.writeUIntBE(seq, 5, 6);
      head.writeUInt16BE(fragment.length, 11);
      return Buffer.concat([head, fragment]);
    };
    // ClientHello handshake header: type 1, length, message_seq, fragment_offset 0, fragment_length.
    const hello = Buffer.from([1, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 4, 0xfe, 0xfd, 0, 0]);
    const s = new TraceScript();
    s.qiopen(0, 'UDP SERVICE', '127.0.0.1', 0);
    s.qisend(0, record(22, 0, 0, hello), '"127.0.0.1",4434');
    s.qird(
      0,
      Buffer.concat([record(20, 0, 5, Buffer.from([1])), record(22, 1, 0, Buffer.alloc(40, 7))]),
      '"127.0.0.1",4434',
    );
    s.qisend(0, 'plain datagram', '"127.0.0.1",4434');
    const analysis = analyzeTrace(await s.done());
    expect(analysis.phases.map((p) => p.category)).to.deep.equal(['tls', 'tls', 'plaintext']);
    const described = renderTranscript(analysis);
    expect(described).to.include('DTLS 1.2 handshake epoch 0 seq 0 16 B: ClientHello');
    expect(described).to.include('DTLS 1.2 handshake epoch 1 seq 0 40 B: encrypted');
    expect(analysis.summary.recordsByType).to.deep.equal({ handshake: 2, change_cipher_spec: 1 });
    expect(analysis.summary.plaintextBytes.tx).to.equal('plain datagram'.length);
  });

  it('decodes a fatal alert sent in clear and marks the handshake as failed', async () => {
    const hello = capture.clientChunks[0];
    const s = new TraceScript();
    s.qiopen(0, 'TCP', '127.0.0.1', 4433);
    s.qisend(0, hello);
    s.qird(0, Buffer.from([21, 3, 3, 0, 2, 2, 48]));
    const analysis = analyzeTrace(await s.done());
    expect(renderTranscript(analysis)).to.include('TLS 1.2 alert 2 B: fatal unknown_ca');
    expect(analysis.summary.handshakes.map((h) => h.ok)).to.deep.equal([false]);
  });

  it('calls a clear TCP stream plaintext, on a socket opened before the trace began too', async () => {
    const s = new TraceScript();
    s.qisend(3, 'hello\r\n').qird(3, Buffer.from([0, 1, 2, 3, 250]));
    const analysis = analyzeTrace(await s.done());
    expect(analysis.phases.map((p) => [p.category, p.clearLooksLike, p.connection?.label])).to.deep.equal([
      ['plaintext', 'text', 'socket 3 (?)'],
      ['plaintext', 'binary', 'socket 3 (?)'],
    ]);
    expect(renderTranscript(analysis)).to.include('PLAINTEXT (binary) 00 01 02 03 fa');
  });
});
