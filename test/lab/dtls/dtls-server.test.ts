// The lab DTLS server (Mbed TLS, server role) against openssl s_client -dtls1_2 as an independent client,
// and against raw datagrams: cookies, mutual authentication, stray input, session limits, idle sessions.
import { createSocket, type Socket } from 'node:dgram';
import { expect } from 'chai';
import { type DtlsServer, type DtlsServerEvent, startDtlsServer } from '../../../lab/dtls/dtls-server.ts';
import { isClientHello } from '../../../lab/faults/dtls-records.ts';
import type { LabPki } from '../../../lab/pki/lab-pki.ts';
import {
  CtrDrbg,
  cString,
  MBEDTLS_ERR_SSL_WANT_READ,
  MBEDTLS_SSL_IS_CLIENT,
  MBEDTLS_SSL_TRANSPORT_DATAGRAM,
  SslConfig,
  SslContext,
} from '../../../mcu/tls/mbedtls/index.ts';
import { ManualClock } from '../../../shared/manual-clock.ts';
import { sharedTestPki } from '../pki/shared-test-pki.ts';
import { startOpensslDtlsClient } from './openssl-dtls-client.ts';

/** The first flight of a real Mbed TLS DTLS client: a ClientHello datagram. */
function clientHello(): Buffer {
  const config = new SslConfig();
  config.defaults(MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_DATAGRAM);
  const rng = new CtrDrbg();
  rng.seed(cString('client hello'));
  config.setRng(rng);
  const ssl = new SslContext();
  ssl.setup(config);
  const sent: Buffer[] = [];
  ssl.setBio(
    (data) => {
      sent.push(Buffer.from(data));
      return data.length;
    },
    () => MBEDTLS_ERR_SSL_WANT_READ,
  );
  ssl.setTimer(
    () => {},
    () => 0,
  );
  ssl.handshake();
  ssl.free();
  config.free();
  return sent[0]!;
}

async function rawSocket(): Promise<Socket & { received: Buffer[] }> {
  const socket = Object.assign(createSocket('udp4'), { received: [] as Buffer[] });
  socket.on('message', (d) => socket.received.push(d));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return socket;
}

function send(socket: Socket, data: Uint8Array, port: number): Promise<void> {
  return new Promise((resolve) => socket.send(data, port, '127.0.0.1', () => resolve()));
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

describe('lab/dtls: DTLS server (Mbed TLS server role)', function () {
  this.timeout(15_000);
  let pki: LabPki;
  let server: DtlsServer | undefined;
  const sockets: Socket[] = [];

  before(async () => {
    pki = await sharedTestPki();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    for (const s of sockets.splice(0)) s.close();
  });

  async function socket() {
    const s = await rawSocket();
    sockets.push(s);
    return s;
  }

  const verifyArgs = ['-CAfile', 'ca.pem', '-verify_return_error', '-verify_hostname', 'echo.tlssim.test'];

  it('echoes to openssl s_client after a HelloVerifyRequest cookie round trip', async () => {
    const events: DtlsServerEvent[] = [];
    server = await startDtlsServer({ pki, onEvent: (e) => events.push(e) });
    const client = startOpensslDtlsClient(pki.dir, server.port, verifyArgs, 'hello over dtls\n');
    try {
      await client.waitFor('hello over dtls');
      expect(client.output()).to.match(/Verification: OK/);
    } finally {
      await client.stop();
    }
    expect(server.stats).to.include({ sessions: 1, helloVerifyRequests: 1, handshakes: 1, records: 1 });
    expect(events.map((e) => e.type).slice(0, 4)).to.deep.equal([
      'session',
      'hello-verify',
      'handshake',
      'record',
    ]);
    expect(events.find((e) => e.type === 'handshake')!.ciphersuite).to.match(/^TLS-ECDHE-/);
  });

  it('mutual authentication: the lab client certificate is accepted; no certificate fails the handshake', async () => {
    server = await startDtlsServer({
      pki,
      credential: 'mtls',
      requireClientCert: true,
      handshakeTimeout: { minMs: 100, maxMs: 400 },
    });
    const args = ['-CAfile', 'ca.pem', '-verify_return_error'];
    const good = startOpensslDtlsClient(
      pki.dir,
      server.port,
      [...args, '-cert', 'client-chain.pem', '-key', 'client.key'],
      'with cert\n',
    );
    try {
      await good.waitFor('with cert');
    } finally {
      await good.stop();
    }
    expect(server.stats.handshakes).to.equal(1);
    const bad = startOpensslDtlsClient(pki.dir, server.port, args, 'no cert\n');
    try {
      await until(() => server!.stats.handshakeFailures === 1);
    } finally {
      await bad.stop();
    }
    expect(server.stats.records).to.equal(1); // only the authenticated client's line got through
  });

  it('the discard service reads records and sends nothing back', async () => {
    server = await startDtlsServer({ pki, service: 'discard' });
    const client = startOpensslDtlsClient(pki.dir, server.port, verifyArgs, 'into the void\n');
    try {
      await until(() => server!.stats.records === 1);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(client.output()).to.not.include('into the void');
    } finally {
      await client.stop();
    }
  });

  it('ignores anything but a ClientHello from an unknown address; survives garbage ClientHellos', async () => {
    server = await startDtlsServer({ pki });
    const stray = await socket();
    await send(stray, Buffer.from('GET / HTTP/1.1\r\n\r\n'), server.port);
    await send(stray, Buffer.alloc(0), server.port);
    await until(() => server!.stats.ignored === 2);
    expect(server.stats.sessions).to.equal(0);
    expect(stray.received).to.have.length(0);
    // Looks like a ClientHello to the filter, but Mbed TLS cannot parse it: that session just fails.
    const hello = clientHello();
    const mangled = Buffer.from(hello);
    mangled.fill(0xff, 25, 60);
    await send(stray, mangled, server.port);
    await send(stray, hello.subarray(0, 30), server.port);
    await until(() => server!.stats.datagramsIn === 4);
    // A real client still gets served.
    const client = startOpensslDtlsClient(pki.dir, server.port, verifyArgs, 'still serving\n');
    try {
      await client.waitFor('still serving');
    } finally {
      await client.stop();
    }
  });

  it('answers a real ClientHello with a HelloVerifyRequest; keeps at most maxSessions, dropping the least recently active', async () => {
    server = await startDtlsServer({ pki, maxSessions: 2 });
    const hello = clientHello();
    expect(isClientHello(hello)).to.equal(true);
    const clients = [await socket(), await socket(), await socket()];
    for (const c of clients) await send(c, hello, server.port);
    await until(() => clients.every((c) => c.received.length === 1));
    expect(server.stats).to.include({ sessions: 3, active: 2, helloVerifyRequests: 3 });
  });

  it('drops sessions idle for idleTimeoutMs (on the clock it is given)', async () => {
    const clock = new ManualClock();
    server = await startDtlsServer({ pki, clock, idleTimeoutMs: 1000 });
    const c = await socket();
    await send(c, clientHello(), server.port);
    await until(() => c.received.length === 1);
    expect(server.stats.active).to.equal(1);
    clock.advance(999);
    expect(server.stats.active).to.equal(1);
    clock.advance(1001);
    expect(server.stats.active).to.equal(0);
  });

  it('refuses bad options with a clear error, and a port already taken', async () => {
    let error = await startDtlsServer({ pki, maxFragmentLength: 1000 as never }).catch((e: Error) => e);
    expect((error as Error).message).to.match(/maxFragmentLength/);
    error = await startDtlsServer({ pki, handshakeTimeout: { minMs: 500, maxMs: 100 } }).catch(
      (e: Error) => e,
    );
    expect((error as Error).message).to.match(/handshakeTimeout/);
    server = await startDtlsServer({ pki });
    error = await startDtlsServer({ pki, port: server.port }).catch((e: Error) => e);
    expect((error as Error).message).to.match(/failed to start on port/);
  });
});
