// TLS 1.2 between two real Mbed TLS contexts joined by JS byte queues, the client's transport trickling
// one byte per handshake call so that every record arrives in pieces (WANT_READ retries mid-record).
import v8 from 'node:v8';
import vm from 'node:vm';
import { expect } from 'chai';
import {
  MBEDTLS_ERR_SSL_BAD_HS_PROTOCOL_VERSION,
  MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE,
  MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY,
  MBEDTLS_ERR_SSL_WANT_READ,
  MBEDTLS_SSL_MAJOR_VERSION_3,
  MBEDTLS_SSL_MAX_FRAG_LEN_512,
  MBEDTLS_SSL_MINOR_VERSION_2,
  MBEDTLS_SSL_MINOR_VERSION_3,
  MBEDTLS_SSL_OUT_CONTENT_LEN,
  MBEDTLS_SSL_VERIFY_REQUIRED,
  mbedtlsDebugSetThreshold,
  SslContext,
} from '../../../../mcu/tls/mbedtls/index.ts';
import { clientConfig, serverConfig } from './helpers/endpoints.ts';
import { CLIENT_NAME, makeOpensslPki, type OpensslPki, SERVER_NAME } from './helpers/openssl-pki.ts';

/** One direction of an in-memory stream; `budget` limits the bytes recv may hand over (Infinity = all). */
class ByteQueue {
  private bytes: number[] = [];
  budget = Number.POSITIVE_INFINITY;
  total = 0;

  send = (data: Uint8Array): number => {
    for (const b of data) this.bytes.push(b);
    this.total += data.length;
    return data.length;
  };

  recv = (maxLength: number): Uint8Array | number => {
    const n = Math.min(maxLength, this.bytes.length, this.budget);
    if (n === 0) return MBEDTLS_ERR_SSL_WANT_READ;
    this.budget -= n;
    return Uint8Array.from(this.bytes.splice(0, n));
  };

  get length(): number {
    return this.bytes.length;
  }
}

interface Pair {
  client: SslContext;
  server: SslContext;
  toServer: ByteQueue;
  toClient: ByteQueue;
}

function connectPair(client: SslContext, server: SslContext): Pair {
  const toServer = new ByteQueue();
  const toClient = new ByteQueue();
  client.setBio(toServer.send, toClient.recv);
  server.setBio(toClient.send, toServer.recv);
  return { client, server, toServer, toClient };
}

/**
 * Runs both handshakes until each has finished or failed; the client gets one byte per call. Returns
 * both results and the client's WANT_READ count.
 */
function runHandshakes({ client, server, toClient }: Pair): {
  c: number;
  s: number;
  clientWantReads: number;
} {
  let c = MBEDTLS_ERR_SSL_WANT_READ;
  let s = MBEDTLS_ERR_SSL_WANT_READ;
  let clientWantReads = 0;
  for (
    let round = 0;
    round < 100_000 && (c === MBEDTLS_ERR_SSL_WANT_READ || s === MBEDTLS_ERR_SSL_WANT_READ);
    round++
  ) {
    toClient.budget = 1;
    if (c === MBEDTLS_ERR_SSL_WANT_READ) {
      c = client.handshake();
      if (c === MBEDTLS_ERR_SSL_WANT_READ) clientWantReads++;
    }
    if (s === MBEDTLS_ERR_SSL_WANT_READ) s = server.handshake();
    if (c < 0 && c !== MBEDTLS_ERR_SSL_WANT_READ) break; // a failed side stops; the other would wait forever
    if (s < 0 && s !== MBEDTLS_ERR_SSL_WANT_READ) break;
  }
  toClient.budget = Number.POSITIVE_INFINITY;
  return { c, s, clientWantReads };
}

/** Both handshakes must succeed. Returns the client's WANT_READ count. */
function handshake(pair: Pair): number {
  const { c, s, clientWantReads } = runHandshakes(pair);
  expect({ c, s }).to.deep.equal({ c: 0, s: 0 });
  return clientWantReads;
}

function readAll(ctx: SslContext, length: number): Buffer {
  const chunks: Buffer[] = [];
  let got = 0;
  for (let i = 0; i < 100_000 && got < length; i++) {
    const buffer = new Uint8Array(length - got);
    const n = ctx.read(buffer);
    if (n === MBEDTLS_ERR_SSL_WANT_READ) continue;
    expect(n, 'read').to.be.greaterThan(0);
    chunks.push(Buffer.from(buffer.subarray(0, n)));
    got += n;
  }
  return Buffer.concat(chunks);
}

describe('Mbed TLS binding: in-memory TLS 1.2', () => {
  let pki: OpensslPki;

  before(() => {
    pki = makeOpensslPki();
  });

  after(() => pki.dispose());

  it('completes a handshake with a one-byte-at-a-time transport, retrying WANT_READ mid-record', () => {
    const client = new SslContext();
    const server = new SslContext();
    expect(client.setup(clientConfig(pki))).to.equal(0);
    expect(server.setup(serverConfig(pki))).to.equal(0);
    expect(client.setHostname(SERVER_NAME)).to.equal(0);
    const pair = connectPair(client, server);

    const clientWantReads = handshake(pair);

    // Every byte of the server's flights came in its own handshake call.
    expect(pair.toClient.total).to.be.greaterThan(1000);
    expect(clientWantReads).to.be.at.least(pair.toClient.total - 1);
    expect(client.getVersion()).to.equal('TLSv1.2');
    expect(server.getVersion()).to.equal('TLSv1.2');
    expect(client.getCiphersuite()).to.be.a('string').and.to.equal(server.getCiphersuite());
    expect(client.getVerifyResult()).to.equal(0);
    expect(client.getPeerCert()?.subject).to.equal(`CN=${SERVER_NAME}`);
    expect(client.getPeerCert()?.issuer).to.equal('CN=tlssim test CA');
  });

  it('carries data both ways, one record per write, and ends with close_notify → PEER_CLOSE_NOTIFY', () => {
    const client = new SslContext();
    const server = new SslContext();
    client.setup(clientConfig(pki));
    server.setup(serverConfig(pki, { cert: 'server-ec.pem', key: 'server-ec.key' }));
    client.setHostname(SERVER_NAME);
    const pair = connectPair(client, server);
    handshake(pair);

    const hello = Buffer.from('hello from the client');
    expect(client.write(hello)).to.equal(hello.length);
    expect(server.getBytesAvail()).to.equal(0);
    expect(readAll(server, hello.length).toString()).to.equal(hello.toString());

    // A write larger than one record takes one record's worth; the rest is the caller's to resend.
    const big = Buffer.alloc(MBEDTLS_SSL_OUT_CONTENT_LEN + 5000, 0x5a);
    const written = server.write(big);
    expect(written).to.equal(client.getMaxOutRecordPayload()).and.to.equal(MBEDTLS_SSL_OUT_CONTENT_LEN);
    pair.toClient.budget = 1; // trickle again: read answers WANT_READ until the whole record is there
    let n = MBEDTLS_ERR_SSL_WANT_READ;
    const buffer = new Uint8Array(written);
    let wantReads = 0;
    while (n === MBEDTLS_ERR_SSL_WANT_READ && wantReads < 100_000) {
      pair.toClient.budget = 1;
      n = client.read(buffer);
      if (n === MBEDTLS_ERR_SSL_WANT_READ) wantReads++;
    }
    expect(n).to.equal(written);
    expect(wantReads).to.be.greaterThan(written);
    expect(Buffer.from(buffer).equals(big.subarray(0, written))).to.equal(true);

    // Bytes beyond the caller's buffer stay in Mbed TLS for the next read.
    pair.toClient.budget = Number.POSITIVE_INFINITY;
    expect(server.write(Buffer.from('0123456789'))).to.equal(10);
    const small = new Uint8Array(4);
    expect(client.read(small)).to.equal(4);
    expect(client.getBytesAvail()).to.equal(6);
    expect(Buffer.from(small).toString()).to.equal('0123');
    expect(readAll(client, 6).toString()).to.equal('456789');

    expect(client.closeNotify()).to.equal(0);
    expect(server.read(new Uint8Array(16))).to.equal(MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY);
  });

  it('serves two contexts from one shared config, which outlives its other JS references', () => {
    // Everything but the contexts becomes garbage here; the native side must keep config, CA, DRBG alive.
    const shared = () => {
      const config = clientConfig(pki);
      const a = new SslContext();
      const b = new SslContext();
      expect(a.setup(config)).to.equal(0);
      expect(b.setup(config)).to.equal(0);
      config.free(); // the JS owner lets go too; the two contexts keep it
      return [a, b];
    };
    const [a, b] = shared();
    for (let i = 0; i < 3; i++) forceGc();

    for (const client of [a, b]) {
      const server = new SslContext();
      server.setup(serverConfig(pki));
      client.setHostname(SERVER_NAME);
      handshake(connectPair(client, server));
      expect(client.getVerifyResult()).to.equal(0);
      client.free();
    }
  });

  it('shows each peer certificate to the verify callback and debug lines to the debug callback', () => {
    const config = clientConfig(pki);
    const verified: Array<[number, string, number]> = [];
    const debugLines: Array<[number, string]> = [];
    config.setVerify((depth, info, flags) => verified.push([depth, info, flags]));
    config.setDebug((level, _file, _line, message) => debugLines.push([level, message]));
    mbedtlsDebugSetThreshold(2);
    try {
      const client = new SslContext();
      client.setup(config);
      client.setHostname(SERVER_NAME);
      const server = new SslContext();
      server.setup(serverConfig(pki));
      handshake(connectPair(client, server));
    } finally {
      mbedtlsDebugSetThreshold(0);
    }
    expect(verified.map(([depth, , flags]) => [depth, flags])).to.deep.equal([
      [1, 0],
      [0, 0],
    ]);
    expect(verified[1]![1]).to.include(`CN=${SERVER_NAME}`);
    expect(debugLines.some(([, message]) => message.includes('=> handshake'))).to.equal(true);
    expect(debugLines.every(([level]) => level >= 1 && level <= 2)).to.equal(true);
  });

  it('negotiates the configured ciphersuite and a 512-byte maximum fragment length', () => {
    const config = clientConfig(pki);
    expect(config.setCiphersuites(['TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384'])).to.equal(0);
    expect(config.setMaxFragLen(MBEDTLS_SSL_MAX_FRAG_LEN_512)).to.equal(0);
    const client = new SslContext();
    client.setup(config);
    const server = new SslContext();
    server.setup(serverConfig(pki));
    handshake(connectPair(client, server));
    expect(client.getCiphersuite()).to.equal('TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384');
    expect(client.getMaxOutRecordPayload()).to.equal(512);
    expect(client.write(Buffer.alloc(2000, 1))).to.equal(512);
  });

  it('authenticates the client to a server that requires a certificate', () => {
    const client = new SslContext();
    client.setup(clientConfig(pki, { cert: 'client.pem', key: 'client.key' }));
    const server = new SslContext();
    server.setup(serverConfig(pki, { authmode: MBEDTLS_SSL_VERIFY_REQUIRED, ca: 'ca.pem' }));
    handshake(connectPair(client, server));
    expect(server.getVerifyResult()).to.equal(0);
    expect(server.getPeerCert()?.subject).to.equal(`CN=${CLIENT_NAME}`);
  });

  it('fails when the versions do not overlap (client TLS 1.1 at most, server TLS 1.2 at least)', () => {
    const clientConf = clientConfig(pki);
    clientConf.setMinVersion(MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_2);
    clientConf.setMaxVersion(MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_2);
    const serverConf = serverConfig(pki);
    serverConf.setMinVersion(MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    const client = new SslContext();
    client.setup(clientConf);
    const server = new SslContext();
    server.setup(serverConf);
    const pair = connectPair(client, server);
    const { s } = runHandshakes(pair);
    expect(s).to.equal(MBEDTLS_ERR_SSL_BAD_HS_PROTOCOL_VERSION);
    expect(runHandshakes(pair).c).to.equal(MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE); // the server's alert
  });

  it('frees a context and sets it up again for a new session', () => {
    const client = new SslContext();
    client.setup(clientConfig(pki));
    client.free();
    expect(client.getVersion()).to.equal('unknown');
    expect(client.setup(clientConfig(pki))).to.equal(0);
    client.setHostname(SERVER_NAME);
    const server = new SslContext();
    server.setup(serverConfig(pki));
    handshake(connectPair(client, server));
    expect(client.getVersion()).to.equal('TLSv1.2');
  });
});

/** A full garbage collection, via V8's gc extension exposed at runtime (mocha runs without --expose-gc). */
function forceGc(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}
