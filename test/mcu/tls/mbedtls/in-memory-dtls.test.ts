// DTLS 1.2 between two real Mbed TLS contexts joined by JS datagram queues, with HelloVerifyRequest
// cookies, retransmission timers on a virtual clock, loss, replay and corruption; and a handshake that
// times out when the peer never answers.
import { expect } from 'chai';
import {
  type CtrDrbg,
  MBEDTLS_ERR_SSL_BAD_INPUT_DATA,
  MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED,
  MBEDTLS_ERR_SSL_TIMEOUT,
  MBEDTLS_ERR_SSL_WANT_READ,
  MBEDTLS_SSL_DTLS_TIMEOUT_DFL_MIN,
  MBEDTLS_SSL_TRANSPORT_DATAGRAM,
  type SslConfig,
  SslContext,
} from '../../../../mcu/tls/mbedtls/index.ts';
import { realTimer, VirtualClock } from './helpers/dtls-timers.ts';
import { clientConfig, seededDrbg, serverConfig } from './helpers/endpoints.ts';
import { makeOpensslPki, type OpensslPki, SERVER_NAME } from './helpers/openssl-pki.ts';

/** One direction of a datagram path. `drop` drops the next n datagrams. */
class DatagramQueue {
  readonly datagrams: Uint8Array[] = [];
  sent = 0;
  drop = 0;

  send = (data: Uint8Array): number => {
    this.sent++;
    if (this.drop > 0) this.drop--;
    else this.datagrams.push(Uint8Array.from(data));
    return data.length;
  };

  recv = (maxLength: number): Uint8Array | number => {
    const datagram = this.datagrams.shift();
    if (datagram === undefined) return MBEDTLS_ERR_SSL_WANT_READ;
    return datagram.subarray(0, maxLength); // UDP truncates what does not fit
  };
}

const CLIENT_ADDRESS = Buffer.from('127.0.0.1:5684');

interface DtlsPair {
  client: SslContext;
  server: SslContext;
  toServer: DatagramQueue;
  toClient: DatagramQueue;
  clock: VirtualClock;
  clientTimer: ReturnType<VirtualClock['timer']>;
}

function dtlsPair(pki: OpensslPki, server: SslConfig = dtlsServerConfig(pki)): DtlsPair {
  const clock = new VirtualClock();
  const toServer = new DatagramQueue();
  const toClient = new DatagramQueue();
  const client = new SslContext();
  expect(client.setup(clientConfig(pki, { transport: MBEDTLS_SSL_TRANSPORT_DATAGRAM }))).to.equal(0);
  client.setHostname(SERVER_NAME);
  client.setBio(toServer.send, toClient.recv);
  const clientTimer = clock.timer();
  client.setTimer(clientTimer.setDelay, clientTimer.getDelay);
  const serverCtx = new SslContext();
  expect(serverCtx.setup(server)).to.equal(0);
  expect(serverCtx.setClientTransportId(CLIENT_ADDRESS)).to.equal(0);
  serverCtx.setBio(toClient.send, toServer.recv);
  const serverTimer = clock.timer();
  serverCtx.setTimer(serverTimer.setDelay, serverTimer.getDelay);
  return { client, server: serverCtx, toServer, toClient, clock, clientTimer };
}

function dtlsServerConfig(pki: OpensslPki, cookies: CtrDrbg | null = seededDrbg('cookies')): SslConfig {
  const config = serverConfig(pki, {
    transport: MBEDTLS_SSL_TRANSPORT_DATAGRAM,
    cert: 'server-ec.pem',
    key: 'server-ec.key',
  });
  expect(config.setDtlsCookies(cookies)).to.equal(0);
  return config;
}

/** Runs both handshakes, resetting the server after each HelloVerifyRequest as a DTLS server loop does. */
function handshake(pair: DtlsPair): { helloVerifies: number } {
  const { client, server, toServer, toClient, clock } = pair;
  let c = MBEDTLS_ERR_SSL_WANT_READ;
  let s = MBEDTLS_ERR_SSL_WANT_READ;
  let helloVerifies = 0;
  for (let round = 0; round < 1000 && (c !== 0 || s !== 0); round++) {
    if (c !== 0) c = client.handshake();
    if (c !== 0) expect(c, 'client handshake').to.equal(MBEDTLS_ERR_SSL_WANT_READ);
    if (s !== 0) {
      s = server.handshake();
      if (s === MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED) {
        helloVerifies++;
        expect(server.sessionReset()).to.equal(0);
        expect(server.setClientTransportId(CLIENT_ADDRESS)).to.equal(0);
        s = MBEDTLS_ERR_SSL_WANT_READ;
      } else if (s !== 0) {
        expect(s, 'server handshake').to.equal(MBEDTLS_ERR_SSL_WANT_READ);
      }
    }
    // Nothing in flight: only a retransmission timer can move things on.
    if ((c !== 0 || s !== 0) && toServer.datagrams.length === 0 && toClient.datagrams.length === 0) {
      expect(clock.advanceToNextDeadline(), 'a retransmission timer is running').to.equal(true);
    }
  }
  expect([c, s]).to.deep.equal([0, 0]);
  return { helloVerifies };
}

function readOne(ctx: SslContext): string | number {
  const buffer = new Uint8Array(2048);
  const n = ctx.read(buffer);
  return n > 0 ? Buffer.from(buffer.subarray(0, n)).toString() : n;
}

describe('Mbed TLS binding: in-memory DTLS 1.2', () => {
  let pki: OpensslPki;

  before(() => {
    pki = makeOpensslPki();
  });

  after(() => pki.dispose());

  it('handshakes through a HelloVerifyRequest cookie exchange (HELLO_VERIFY_REQUIRED → sessionReset → retry)', () => {
    const pair = dtlsPair(pki);
    expect(handshake(pair).helloVerifies).to.equal(1);
    expect(pair.client.getVersion()).to.equal('DTLSv1.2');
    expect(pair.client.getVerifyResult()).to.equal(0);
    expect(pair.client.getCiphersuite()).to.equal(pair.server.getCiphersuite());
    // The client ran its retransmission timer from Mbed TLS's default minimum and cancelled it at the end.
    expect(pair.clientTimer.finals[0]).to.equal(MBEDTLS_SSL_DTLS_TIMEOUT_DFL_MIN);
    expect(pair.clientTimer.finals.at(-1)).to.equal(0);
  });

  it('handshakes without cookies when the server turns them off', () => {
    expect(handshake(dtlsPair(pki, dtlsServerConfig(pki, null))).helloVerifies).to.equal(0);
  });

  it('retransmits after the timer expires when a datagram is lost', () => {
    const pair = dtlsPair(pki);
    pair.toClient.drop = 1; // the HelloVerifyRequest never arrives
    const { helloVerifies } = handshake(pair);
    expect(helloVerifies).to.equal(2); // the retransmitted ClientHello (no cookie yet) is verified again
    // First timeout at the minimum, then doubled for the retransmission.
    const [first, second] = pair.clientTimer.timeouts;
    expect([first, second]).to.deep.equal([1000, 2000]);
    expect(pair.clock.now).to.be.at.least(1000);
  });

  it('delivers one record per read, drops replayed and corrupted records, and refuses an oversize write', () => {
    const pair = dtlsPair(pki);
    handshake(pair);
    const { client, server, toServer } = pair;

    expect(client.write(Buffer.from('first'))).to.equal(5);
    expect(client.write(Buffer.from('second record'))).to.equal(13);
    expect(toServer.datagrams).to.have.length(2);
    expect(readOne(server)).to.equal('first');
    expect(readOne(server)).to.equal('second record');
    expect(readOne(server)).to.equal(MBEDTLS_ERR_SSL_WANT_READ);

    // Anti-replay is on by default: a duplicated datagram is delivered once.
    expect(client.write(Buffer.from('once'))).to.equal(4);
    const datagram = toServer.datagrams[0]!;
    toServer.datagrams.push(Uint8Array.from(datagram));
    expect(readOne(server)).to.equal('once');
    expect(readOne(server)).to.equal(MBEDTLS_ERR_SSL_WANT_READ);

    // A record with a flipped ciphertext byte fails its MAC and is silently discarded.
    expect(client.write(Buffer.from('tampered'))).to.equal(8);
    toServer.datagrams[0]![toServer.datagrams[0]!.length - 3]! ^= 0x40;
    expect(readOne(server)).to.equal(MBEDTLS_ERR_SSL_WANT_READ);
    expect(client.write(Buffer.from('intact'))).to.equal(6);
    expect(readOne(server)).to.equal('intact');

    const max = client.getMaxOutRecordPayload();
    expect(max).to.be.greaterThan(0);
    expect(client.write(Buffer.alloc(max + 1))).to.equal(MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
    expect(client.write(Buffer.alloc(max))).to.equal(max);
  });

  it('delivers a replayed record again when anti-replay is off', () => {
    const config = dtlsServerConfig(pki);
    config.setDtlsAntiReplay(false);
    const pair = dtlsPair(pki, config);
    handshake(pair);
    expect(pair.client.write(Buffer.from('twice'))).to.equal(5);
    pair.toServer.datagrams.push(Uint8Array.from(pair.toServer.datagrams[0]!));
    expect(readOne(pair.server)).to.equal('twice');
    expect(readOne(pair.server)).to.equal('twice');
  });

  it('times out with TIMEOUT after doubling retransmissions when the peer never answers (virtual clock)', () => {
    const clock = new VirtualClock();
    const timer = clock.timer();
    const config = clientConfig(pki, { transport: MBEDTLS_SSL_TRANSPORT_DATAGRAM });
    config.setHandshakeTimeout(100, 800);
    const client = new SslContext();
    client.setup(config);
    const blackHole = new DatagramQueue();
    client.setBio(blackHole.send, () => MBEDTLS_ERR_SSL_WANT_READ);
    client.setTimer(timer.setDelay, timer.getDelay);

    let ret = client.handshake();
    for (let i = 0; i < 100 && ret === MBEDTLS_ERR_SSL_WANT_READ; i++) {
      expect(clock.advanceToNextDeadline()).to.equal(true);
      ret = client.handshake();
    }
    expect(ret).to.equal(MBEDTLS_ERR_SSL_TIMEOUT);
    expect(timer.timeouts).to.deep.equal([100, 200, 400, 800]);
    expect(timer.delays[0]).to.deep.equal([25, 100]); // intermediate delay = final / 4
    expect(blackHole.sent).to.equal(4); // the ClientHello and three retransmissions
  });

  it('times out on real time with short handshake timeouts', async () => {
    const timer = realTimer();
    const config = clientConfig(pki, { transport: MBEDTLS_SSL_TRANSPORT_DATAGRAM });
    config.setHandshakeTimeout(10, 40);
    const client = new SslContext();
    client.setup(config);
    const blackHole = new DatagramQueue();
    client.setBio(blackHole.send, () => MBEDTLS_ERR_SSL_WANT_READ);
    client.setTimer(timer.setDelay, timer.getDelay);

    let ret = client.handshake();
    for (let i = 0; i < 100 && ret === MBEDTLS_ERR_SSL_WANT_READ; i++) {
      const deadline = timer.deadline;
      expect(deadline).to.not.equal(null);
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(1, Math.ceil(deadline! - performance.now()))),
      );
      ret = client.handshake();
    }
    expect(ret).to.equal(MBEDTLS_ERR_SSL_TIMEOUT);
    expect(timer.timeouts).to.deep.equal([10, 20, 40]);
    expect(blackHole.sent).to.equal(3);
  });
});
