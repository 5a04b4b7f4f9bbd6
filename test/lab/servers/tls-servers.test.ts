import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { issueCertificate, selfIssuer } from '../../../lab/pki/certificate-builder.ts';
import { createKeyPair, privateKeyToPem } from '../../../lab/pki/key-pairs.ts';
import type { LabPki } from '../../../lab/pki/lab-pki.ts';
import { type Lab, startLab } from '../../../lab/servers/lab.ts';
import { sharedTestPki } from '../pki/shared-test-pki.ts';
import { EventLog } from './event-log.ts';
import { closed, echoRoundTrip, openTcp, openTls, readToEnd, tlsFailure } from './lab-clients.ts';

describe('lab/servers TLS servers', () => {
  let lab: Lab;
  let pki: LabPki;
  const log = new EventLog();

  before(async function () {
    this.timeout(30_000); // the first run of the suite may have to generate the PKI
    pki = await sharedTestPki();
    lab = await startLab({
      kinds: ['tls-echo', 'tls-discard', 'tls-daytime', 'tls-mtls-echo', 'tls-ecdsa-echo'],
      pki,
      onEvent: log.hook,
    });
  });
  after(() => lab?.close());

  it('TLS echo verifies against the lab CA under its lab name and echoes the Greentea sizes', async () => {
    const socket = await openTls(lab.server('tls-echo'), { ca: pki.caPem });
    try {
      expect(socket.authorized).to.equal(true);
      expect(lab.server('tls-echo').host).to.equal('echo.tlssim.test');
      for (const size of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100, 600, 1200, 100_000]) {
        const payload = randomBytes(size);
        expect((await echoRoundTrip(socket, payload)).equals(payload), `size ${size}`).to.equal(true);
      }
    } finally {
      socket.destroy();
    }
  });

  it('TLS echo also verifies as localhost and as 127.0.0.1', async () => {
    for (const servername of ['localhost', undefined]) {
      const server = { ...lab.server('tls-echo'), host: servername ?? '127.0.0.1' };
      const socket = await openTls(server, { ca: pki.caPem, servername });
      expect(socket.authorized).to.equal(true);
      socket.destroy();
    }
  });

  it('speaks TLS 1.2 with ECDHE-RSA AES-GCM, as Mbed TLS 2.28 will', async () => {
    const socket = await openTls(lab.server('tls-echo'), {
      ca: pki.caPem,
      maxVersion: 'TLSv1.2',
      ciphers: 'ECDHE-RSA-AES128-GCM-SHA256',
    });
    expect(socket.getProtocol()).to.equal('TLSv1.2');
    expect(socket.getCipher().name).to.equal('ECDHE-RSA-AES128-GCM-SHA256');
    expect((await echoRoundTrip(socket, Buffer.from('tls12'))).toString()).to.equal('tls12');
    socket.destroy();
  });

  it('the ECDSA echo server presents a P-256 certificate (ECDHE-ECDSA suites)', async () => {
    const socket = await openTls(lab.server('tls-ecdsa-echo'), { ca: pki.caPem, maxVersion: 'TLSv1.2' });
    expect(socket.getCipher().name).to.match(/^ECDHE-ECDSA-/);
    expect(socket.getPeerX509Certificate()?.publicKey.asymmetricKeyDetails?.namedCurve).to.equal(
      'prime256v1',
    );
    expect((await echoRoundTrip(socket, Buffer.from('ec'))).toString()).to.equal('ec');
    socket.destroy();
  });

  it('TLS discard drops what it reads', async () => {
    const socket = await openTls(lab.server('tls-discard'), { ca: pki.caPem });
    const received: Buffer[] = [];
    socket.on('data', (chunk) => received.push(chunk));
    const before = lab.stats('tls-discard').bytesIn;
    socket.write(Buffer.from('hello'));
    await log.until(() => lab.stats('tls-discard').bytesIn === before + 5);
    socket.end();
    await closed(socket);
    expect(received).to.have.length(0);
  });

  it('TLS daytime sends a line shorter than 30 bytes, then close_notify and close', async () => {
    for (const maxVersion of ['TLSv1.2', 'TLSv1.3'] as const) {
      const socket = await openTls(lab.server('tls-daytime'), { ca: pki.caPem, maxVersion });
      const text = (await readToEnd(socket)).toString('latin1');
      expect(text).to.match(/^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\r\n$/);
      expect(text.length).to.be.within(10, 29);
    }
  });

  it('mutual TLS echoes for a client with the lab client certificate (leaf alone or with chain)', async () => {
    for (const cert of [pki.clientCertPem, pki.clientChainPem]) {
      const socket = await openTls(lab.server('tls-mtls-echo'), {
        ca: pki.caPem,
        cert,
        key: pki.clientKeyPem,
      });
      expect((await echoRoundTrip(socket, Buffer.from('mtls'))).toString()).to.equal('mtls');
      socket.destroy();
    }
  });

  it('mutual TLS rejects a client without a certificate (TLS 1.2 and 1.3)', async () => {
    const before = lab.stats('tls-mtls-echo').tlsErrors;
    const from = log.events.length;
    const tls12 = await tlsFailure(lab.server('tls-mtls-echo'), { ca: pki.caPem, maxVersion: 'TLSv1.2' });
    expect(tls12.code).to.equal('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
    const tls13 = await tlsFailure(lab.server('tls-mtls-echo'), { ca: pki.caPem, minVersion: 'TLSv1.3' });
    expect(tls13.code).to.equal('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
    await log.until(() => lab.stats('tls-mtls-echo').tlsErrors === before + 2);
    const verdicts = log.events.slice(from).filter((event) => event.type === 'tls-error');
    expect(verdicts.map((event) => event.error)).to.deep.equal([
      'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE',
      'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE',
    ]);
  });

  it('mutual TLS drops a client whose certificate comes from a CA it does not trust', async () => {
    const strangerKey = await createKeyPair({ type: 'rsa', bits: 2048 });
    const strangerName = { commonName: 'stranger' };
    const strangerCa = selfIssuer(strangerName, strangerKey.privateKey);
    const cert = issueCertificate({
      subject: { commonName: 'stranger device' },
      publicKey: strangerKey.publicKey,
      issuer: strangerCa,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 3_600_000),
      role: 'client',
    });
    const before = lab.stats('tls-mtls-echo').tlsErrors;
    const from = log.events.length;
    const failure = await tlsFailure(lab.server('tls-mtls-echo'), {
      ca: pki.caPem,
      cert: cert.pem,
      key: privateKeyToPem(strangerKey.privateKey),
      maxVersion: 'TLSv1.2',
    });
    // Node's server judges the certificate after the handshake and closes without an alert.
    expect(failure.code).to.equal('ECONNRESET');
    await log.until(() => lab.stats('tls-mtls-echo').tlsErrors === before + 1);
    const verdict = log.events
      .slice(from)
      .find((event) => event.kind === 'tls-mtls-echo' && event.type === 'tls-error');
    expect(verdict?.error).to.equal('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('survives garbage, resets mid-handshake and plain-text clients, and keeps serving', async () => {
    const before = lab.stats('tls-echo').tlsErrors;
    const garbage = await openTcp(lab.server('tls-echo'));
    garbage.write(randomBytes(2000));
    const http = await openTcp(lab.server('tls-echo'));
    http.write('GET / HTTP/1.0\r\n\r\n');
    await Promise.all([closed(garbage), closed(http)]);
    const reset = await openTcp(lab.server('tls-echo'));
    reset.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01])); // a ClientHello header, then nothing
    reset.resetAndDestroy();
    await log.until(() => lab.stats('tls-echo').tlsErrors >= before + 3);
    const socket = await openTls(lab.server('tls-echo'), { ca: pki.caPem });
    expect((await echoRoundTrip(socket, Buffer.from('alive'))).toString()).to.equal('alive');
    socket.destroy();
  });
});
