// What a TLS socket costs on the MCU and over the air, measured from the real libraries through the BG96
// on the mock UART: the socket's Mbed TLS heap (handshake peak, steady state, 0 after destroy) for TLS,
// mutual TLS and DTLS; the saving of sharing one SslConfig between N sockets; and a resumed handshake
// against a full one (docs/costs.md).
import { expect } from 'chai';
import { type DtlsServer, startDtlsServer } from '../../../lab/dtls/dtls-server.ts';
import { type Lab, startLab } from '../../../lab/servers/lab.ts';
import type { ServerKind } from '../../../lab/servers/server-kinds.ts';
import { DTLSSocket } from '../../../mcu/tls/dtls-socket.ts';
import {
  cString,
  MBEDTLS_SSL_IS_CLIENT,
  MBEDTLS_SSL_MAX_FRAG_LEN_1024,
  MBEDTLS_SSL_PRESET_DEFAULT,
  MBEDTLS_SSL_TRANSPORT_STREAM,
  MBEDTLS_SSL_VERIFY_REQUIRED,
  mbedtlsHeapStats,
  newHeapOwner,
  SslConfig,
  SslSession,
  X509Crt,
} from '../../../mcu/tls/mbedtls/index.ts';
import { MbedtlsTLSSocket } from '../../../mcu/tls/tls-socket-mbedtls.ts';
import { NSAPI_ERROR_OK } from '../../../shared/nsapi.ts';
import { type Device, startDevice } from './device-fixture.ts';
import { echo as dtlsEcho, labAddress } from './dtls-fixture.ts';
import { expectEcho } from './wrapper-fixture.ts';

describe('TLS socket costs: Mbed TLS heap, shared config, resumed sessions', function () {
  this.timeout(60_000);
  let lab: Lab;
  let device: Device;
  before(async () => {
    lab = await startLab({ kinds: ['tls-echo', 'tls-mtls-echo', 'tls-discard'] });
    device = await startDevice(lab);
  });
  after(async () => {
    await device.close();
    await lab.close();
  });

  async function connected(
    kind: ServerKind,
    configure?: (s: MbedtlsTLSSocket) => void,
  ): Promise<MbedtlsTLSSocket> {
    const socket = new MbedtlsTLSSocket();
    expect(socket.open(device.net)).to.equal(NSAPI_ERROR_OK);
    expect(socket.set_root_ca_cert(lab.pki.caPem)).to.equal(NSAPI_ERROR_OK);
    socket.set_hostname(lab.server(kind).host);
    configure?.(socket);
    expect(await socket.connect(await device.resolve(kind))).to.equal(NSAPI_ERROR_OK);
    return socket;
  }

  /** The newest connection's air bytes (payload and header estimate, both directions) from the modem. */
  function lastAirBytes(): number {
    const last = device.modem.airConnections().at(-1);
    if (!last) throw new Error('the modem saw no connection');
    return last.up.payloadBytes + last.up.headerBytes + last.down.payloadBytes + last.down.headerBytes;
  }

  for (const [what, kind, mutual] of [
    ['TLS', 'tls-echo', false],
    ['mutual TLS', 'tls-mtls-echo', true],
  ] as const) {
    it(`${what}: the handshake peaks above the steady state, and destroy returns the heap to its pre-open value`, async () => {
      const socket = await connected(kind, (s) => {
        if (mutual) expect(s.set_client_cert_key(lab.pki.clientChainPem, lab.pki.clientKeyPem)).to.equal(0);
      });
      await expectEcho(socket, Buffer.from('costs'));
      const open = socket.get_heap_stats();
      expect(open.afterHandshakeBytes).to.be.greaterThan(0);
      expect(open.peakBytes).to.be.greaterThan(open.afterHandshakeBytes ?? 0);
      expect(await socket.close()).to.equal(NSAPI_ERROR_OK);
      await socket.destroy();
      const gone = socket.get_heap_stats();
      expect(gone.currentBytes).to.equal(0);
      // every block the socket's Mbed TLS objects allocated is freed (the process total is not compared:
      // other tests in this worker use Mbed TLS at the same time)
      expect(gone.frees).to.equal(gone.allocations);
    });
  }

  it('mutual TLS holds more than TLS (the client chain and key)', async () => {
    const plain = await connected('tls-echo');
    const withCert = await connected('tls-mtls-echo', (s) =>
      expect(s.set_client_cert_key(lab.pki.clientChainPem, lab.pki.clientKeyPem)).to.equal(0),
    );
    const [a, b] = [plain.get_heap_stats(), withCert.get_heap_stats()];
    for (const s of [plain, withCert]) {
      await s.close();
      await s.destroy();
    }
    expect(b.afterHandshakeBytes ?? 0).to.be.greaterThan(a.afterHandshakeBytes ?? 0);
    expect(b.peakBytes).to.be.greaterThan(a.peakBytes);
  });

  it('DTLS: the same accounting, and 0 after destroy', async () => {
    const server: DtlsServer = await startDtlsServer({ pki: lab.pki });
    try {
      // (the lab DTLS server runs Mbed TLS in this process too: only the socket's own blocks are compared)
      const socket = new DTLSSocket(device.net, 'echo.tlssim.test');
      expect(socket.set_root_ca_cert(lab.pki.caPem)).to.equal(NSAPI_ERROR_OK);
      socket.get_ssl_config().setMaxFragLen(MBEDTLS_SSL_MAX_FRAG_LEN_1024);
      expect(await socket.connect(labAddress(server.port))).to.equal(NSAPI_ERROR_OK);
      expect((await dtlsEcho(socket, Buffer.from('dtls'))).back.toString()).to.equal('dtls');
      const open = socket.get_heap_stats();
      expect(open.afterHandshakeBytes).to.be.greaterThan(0);
      expect(open.peakBytes).to.be.greaterThan(open.afterHandshakeBytes ?? 0);
      await socket.close();
      await socket.destroy();
      const gone = socket.get_heap_stats();
      expect(gone.currentBytes).to.equal(0);
      expect(gone.frees).to.equal(gone.allocations);
    } finally {
      await server.close();
    }
  });

  it('DTLS: a second connection offering the first one’s session resumes it (the lab server’s session cache)', async () => {
    const server: DtlsServer = await startDtlsServer({ pki: lab.pki });
    const session = new SslSession();
    try {
      for (const attempt of ['first', 'second'] as const) {
        const socket = new DTLSSocket(device.net, 'echo.tlssim.test');
        expect(socket.set_root_ca_cert(lab.pki.caPem)).to.equal(NSAPI_ERROR_OK);
        socket.get_ssl_config().setMaxFragLen(MBEDTLS_SSL_MAX_FRAG_LEN_1024);
        if (attempt === 'second') expect(socket.set_session(session)).to.equal(NSAPI_ERROR_OK);
        expect(await socket.connect(labAddress(server.port))).to.equal(NSAPI_ERROR_OK);
        expect(socket.is_session_resumed(), attempt).to.equal(attempt === 'second');
        if (attempt === 'first') expect(socket.get_session(session)).to.equal(NSAPI_ERROR_OK);
        expect((await dtlsEcho(socket, Buffer.from(attempt))).back.toString()).to.equal(attempt);
        await socket.close();
        await socket.destroy();
      }
    } finally {
      session.free();
      await server.close();
    }
  });

  it('N sockets sharing one SslConfig save the config and its CA chain N−1 times (N = 1, 2, 4, 8)', async () => {
    /** Mbed TLS heap held by N connected sockets, with a config each or one shared (counted too). */
    async function held(n: number, shared: boolean): Promise<number> {
      const sharedOwner = newHeapOwner();
      let config: SslConfig | null = null;
      let ca: X509Crt | null = null;
      if (shared) {
        ca = new X509Crt();
        ca.heapOwner = sharedOwner;
        expect(ca.parse(cString(lab.pki.caPem))).to.equal(0);
        config = new SslConfig();
        expect(
          config.defaults(MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT),
        ).to.equal(0);
        config.setAuthmode(MBEDTLS_SSL_VERIFY_REQUIRED);
        config.setCaChain(ca);
      }
      const sockets: MbedtlsTLSSocket[] = [];
      for (let i = 0; i < n; i++) {
        const socket = new MbedtlsTLSSocket();
        expect(socket.open(device.net)).to.equal(NSAPI_ERROR_OK);
        if (config) socket.set_ssl_config(config);
        else expect(socket.set_root_ca_cert(lab.pki.caPem)).to.equal(0);
        socket.set_hostname(lab.server('tls-echo').host);
        expect(await socket.connect(await device.resolve('tls-echo'))).to.equal(NSAPI_ERROR_OK);
        sockets.push(socket);
      }
      const total =
        mbedtlsHeapStats(sharedOwner).currentBytes +
        sockets.reduce((sum, socket) => sum + socket.get_heap_stats().currentBytes, 0);
      for (const socket of sockets) {
        await socket.close();
        await socket.destroy();
      }
      config?.free();
      ca?.free();
      // Only now is everything back: the first handshake caches RSA's R² mod N in the shared CA's key
      // (mbedtls_rsa_public), a block counted to the socket that triggered it and freed with the CA.
      expect(mbedtlsHeapStats(sharedOwner).currentBytes).to.equal(0);
      for (const socket of sockets) expect(socket.get_heap_stats().currentBytes).to.equal(0);
      return total;
    }
    const savings: number[] = [];
    for (const n of [1, 2, 4, 8]) savings.push((await held(n, false)) - (await held(n, true)));
    // One socket saves nothing; each further one saves what one config with its parsed CA costs.
    expect(Math.abs(savings[0])).to.be.lessThan(64);
    const perSocket = savings[1];
    expect(perSocket).to.be.greaterThan(500);
    expect(savings[2]).to.be.closeTo(3 * perSocket, 64);
    expect(savings[3]).to.be.closeTo(7 * perSocket, 64);
  });

  it('a resumed handshake costs less than half the air bytes of a full one, and says so', async () => {
    const first = await connected('tls-echo');
    const session = new SslSession();
    expect(first.get_session(session)).to.equal(NSAPI_ERROR_OK);
    expect(first.is_session_resumed()).to.equal(false);
    await first.close();
    await first.destroy();
    const full = lastAirBytes();

    const second = await connected('tls-echo', (s) =>
      expect(s.set_session(session)).to.equal(NSAPI_ERROR_OK),
    );
    expect(second.is_session_resumed()).to.equal(true);
    await expectEcho(second, Buffer.from('resumed'));
    await second.close();
    await second.destroy();
    const resumed = lastAirBytes();
    expect(resumed).to.be.lessThan(full / 2);
    session.free();
  });

  it('a session offered to a server that does not know it: a full handshake, no error', async () => {
    const first = await connected('tls-echo');
    const session = new SslSession();
    expect(first.get_session(session)).to.equal(NSAPI_ERROR_OK);
    await first.close();
    await first.destroy();
    // tls-discard is another server with its own ticket keys and session cache
    const other = await connected('tls-discard', (s) =>
      expect(s.set_session(session)).to.equal(NSAPI_ERROR_OK),
    );
    expect(other.is_session_resumed()).to.equal(false);
    await other.close();
    await other.destroy();
    session.free();
  });
});
