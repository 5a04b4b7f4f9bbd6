// DTLS on the device through the lab's seeded datagram fault proxy: handshakes that survive loss,
// duplication and reordering; corrupted, truncated, replayed, garbage and stray datagrams that never reach
// the application; an MTU that starves the handshake. Short handshake timeouts keep it fast.
import { createSocket } from 'node:dgram';
import { expect } from 'chai';
import type { DtlsServer } from '../../../lab/dtls/dtls-server.ts';
import { type FaultProxy, startFaultProxy } from '../../../lab/faults/datagram-fault-proxy.ts';
import type { Lab } from '../../../lab/servers/lab.ts';
import { DTLSSocket } from '../../../mcu/tls/dtls-socket.ts';
import { MBEDTLS_ERR_SSL_TIMEOUT } from '../../../mcu/tls/mbedtls/index.ts';
import { NSAPI_ERROR_AUTH_FAILURE, NSAPI_ERROR_OK, NSAPI_ERROR_WOULD_BLOCK } from '../../../shared/nsapi.ts';
import { type Device, startDevice } from './device-fixture.ts';
import { ECHO_HOST, echo, labAddress, startDtlsLab } from './dtls-fixture.ts';

const HANDSHAKE_TIMEOUT = { minMs: 100, maxMs: 3200 };
/** Seeds whose draws drop, duplicate and reorder datagrams of the handshake (a fixed set, replayable). */
const LOSSY_SEEDS = [3, 8, 12, 15];

describe('DTLS through the datagram fault proxy (device on the mock UART)', function () {
  this.timeout(30_000);
  let lab: Lab;
  let server: DtlsServer;
  let device: Device;
  let proxy: FaultProxy | undefined;
  const open: DTLSSocket[] = [];

  before(async () => {
    ({ lab, server } = await startDtlsLab({ handshakeTimeout: HANDSHAKE_TIMEOUT }));
    device = await startDevice(lab);
  });
  after(async () => {
    await device.close();
    await server.close();
    await lab.close();
  });
  afterEach(async () => {
    for (const socket of open.splice(0)) await socket.close();
    await proxy?.close();
    proxy = undefined;
  });

  async function throughProxy(
    faults: unknown,
    timeout = HANDSHAKE_TIMEOUT,
  ): Promise<{ socket: DTLSSocket; ret: number }> {
    proxy = await startFaultProxy({ target: { port: server.port }, faults });
    const socket = new DTLSSocket(device.net, ECHO_HOST);
    open.push(socket);
    socket.set_root_ca_cert(lab.pki.caPem);
    socket.get_ssl_config().setHandshakeTimeout(timeout.minMs, timeout.maxMs);
    return { socket, ret: await socket.connect(labAddress(proxy.port)) };
  }

  /** The next `count` records (blocking: the test's timeout bounds it). */
  async function receive(socket: DTLSSocket, count: number): Promise<string[]> {
    const records: string[] = [];
    const buffer = new Uint8Array(2048);
    while (records.length < count) {
      const n = await socket.recv(buffer);
      expect(n, 'recv').to.be.greaterThan(0);
      records.push(Buffer.from(buffer.subarray(0, n)).toString());
    }
    return records;
  }

  /** Every record that arrives within `ms` (recv with a timeout until it would block). */
  async function drain(socket: DTLSSocket, ms: number): Promise<string[]> {
    socket.set_timeout(ms);
    const records: string[] = [];
    const buffer = new Uint8Array(2048);
    for (;;) {
      const n = await socket.recv(buffer);
      if (n === NSAPI_ERROR_WOULD_BLOCK) break;
      expect(n, 'recv').to.be.greaterThan(0);
      records.push(Buffer.from(buffer.subarray(0, n)).toString());
    }
    socket.set_blocking(true);
    return records;
  }

  it(`completes the handshake with 25 % loss, duplication and reordering (seeds ${LOSSY_SEEDS.join(', ')})`, async () => {
    const total = { dropped: 0, duplicated: 0, reordered: 0 };
    for (const seed of LOSSY_SEEDS) {
      const { socket, ret } = await throughProxy({ seed, drop: 4, duplicate: 10, reorder: 3 });
      expect(ret, `connect with seed ${seed}`).to.equal(NSAPI_ERROR_OK);
      const { toServer, toClient } = proxy!.stats;
      total.dropped += toServer.dropped + toClient.dropped;
      total.duplicated += toServer.duplicated + toClient.duplicated;
      total.reordered += toServer.reordered + toClient.reordered;
      proxy!.setFaults({}); // a lost echo would otherwise wait forever (no application-level retry here)
      const { back } = await echo(socket, Buffer.from(`seed ${seed}`));
      expect(back.toString()).to.equal(`seed ${seed}`);
      await socket.close();
      open.pop();
      await proxy!.close();
    }
    expect(total.dropped, 'datagrams dropped over the batch').to.be.greaterThan(0);
    expect(total.duplicated + total.reordered, 'datagrams duplicated or reordered').to.be.greaterThan(0);
  });

  it('survives a delayed ServerHello and a delayed ChangeCipherSpec (held messages arrive late, out of order)', async () => {
    const { socket, ret } = await throughProxy({
      toClient: { delayHandshake: ['ServerHello'], delayCcs: true },
      toServer: { delayHandshake: ['ClientKeyExchange'] },
      delayMs: 30,
    });
    expect(ret).to.equal(NSAPI_ERROR_OK);
    expect(proxy!.stats.toClient.delayed).to.equal(2);
    expect(proxy!.stats.toServer.delayed).to.equal(1);
    expect((await echo(socket, Buffer.from('late'))).back.toString()).to.equal('late');
  });

  it('an MTU below the server’s 1 KB fragments starves the handshake: AUTH_FAILURE once the timer gives up', async () => {
    const { socket, ret } = await throughProxy({ toClient: { mtu: 600 } }, { minMs: 20, maxMs: 160 });
    expect(ret).to.equal(NSAPI_ERROR_AUTH_FAILURE);
    expect(socket.get_handshake_error()).to.equal(MBEDTLS_ERR_SSL_TIMEOUT);
    expect(proxy!.stats.toClient.droppedMtu).to.be.greaterThan(0);
  });

  it('a corrupted application record is dropped, not delivered; the next one arrives intact', async () => {
    const { socket, ret } = await throughProxy({});
    expect(ret).to.equal(NSAPI_ERROR_OK);
    expect((await echo(socket, Buffer.from('one'))).back.toString()).to.equal('one');

    proxy!.setFaults({ toClient: { corruptAppData: 1 } });
    expect(await socket.send(Buffer.from('two'))).to.equal(3);
    expect(await drain(socket, 200)).to.deep.equal([]);
    expect(proxy!.stats.toClient.corrupted).to.equal(1);

    proxy!.setFaults({ toServer: { corruptAppData: 1 } });
    const records = server.stats.records;
    expect(await socket.send(Buffer.from('lost on the way up'))).to.equal(18);
    expect(await drain(socket, 200)).to.deep.equal([]);
    expect(server.stats.records).to.equal(records);

    proxy!.setFaults({ toClient: { badAd: true } }); // a corrupted copy before each record
    expect(await socket.send(Buffer.from('three'))).to.equal(5);
    expect(await receive(socket, 1)).to.deep.equal(['three']);
    expect(await drain(socket, 150)).to.deep.equal([]);
    expect(proxy!.stats.toClient.corrupted).to.equal(2);
  });

  it('replayed, truncated, garbage and stray datagrams never reach the application', async () => {
    const { socket, ret } = await throughProxy({ seed: 5, duplicate: 2, truncate: 5, garbage: 2 });
    expect(ret).to.equal(NSAPI_ERROR_OK);
    proxy!.setFaults({ seed: 5, duplicate: 1, garbage: 1 }); // every datagram replayed, garbage after each
    const sent = ['alpha', 'beta', 'gamma', 'delta'];
    for (const word of sent) expect(await socket.send(Buffer.from(word))).to.equal(word.length);
    proxy!.inject('to-client', Buffer.from('not a DTLS record at all'));
    proxy!.inject('to-client', Buffer.from([23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 9, 0, 40, 1, 2, 3])); // cut short
    // From an address the device never talked to, straight at the modem's UDP socket.
    const stray = createSocket('udp4');
    const modemSocket = proxy!.client()!;
    await new Promise<void>((resolve) =>
      stray.send('stray', modemSocket.port, modemSocket.address, () => resolve()),
    );
    stray.close();
    // Each word once (anti-replay drops the copies), nothing else, in any order the path chose.
    const received = await receive(socket, sent.length);
    expect([...received].sort()).to.deep.equal([...sent].sort());
    expect(await drain(socket, 150)).to.deep.equal([]);
    expect(proxy!.stats.toClient.duplicated).to.be.greaterThan(0);
    expect(proxy!.stats.toClient.garbage).to.be.greaterThan(0);

    proxy!.setFaults({ seed: 9, truncate: 1 }); // every datagram cut short
    expect(await socket.send(Buffer.from('cut'))).to.equal(3);
    expect(await drain(socket, 200)).to.deep.equal([]);
    proxy!.setFaults({});
    expect((await echo(socket, Buffer.from('still fine'))).back.toString()).to.equal('still fine');
  });

  it('datagrams from another address are ignored by the proxy and never reach the server', async () => {
    const { socket, ret } = await throughProxy({});
    expect(ret).to.equal(NSAPI_ERROR_OK);
    const before = server.stats.datagramsIn;
    const stray = createSocket('udp4');
    await new Promise<void>((resolve) => stray.send('spoofed', proxy!.port, '127.0.0.1', () => resolve()));
    stray.close();
    while (proxy!.stats.ignored === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    expect(server.stats.datagramsIn).to.equal(before);
    expect((await echo(socket, Buffer.from('ok'))).back.toString()).to.equal('ok');
  });
});
