// The fault proxy on real loopback sockets, between a plain client socket and the lab's UDP echo server.
import { createSocket, type Socket } from 'node:dgram';
import { expect } from 'chai';
import { type FaultProxy, startFaultProxy } from '../../../lab/faults/datagram-fault-proxy.ts';
import type { FaultEvent } from '../../../lab/faults/fault-path.ts';
import { type Lab, startLab } from '../../../lab/servers/lab.ts';
import { sharedTestPki } from '../pki/shared-test-pki.ts';

interface Client {
  socket: Socket;
  received: Buffer[];
  send(data: string | Buffer, port: number): Promise<void>;
  close(): Promise<void>;
}

async function client(): Promise<Client> {
  const socket = createSocket('udp4');
  const received: Buffer[] = [];
  socket.on('message', (d) => received.push(d));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return {
    socket,
    received,
    send: (data, port) => new Promise((resolve) => socket.send(data, port, '127.0.0.1', () => resolve())),
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

describe('lab/faults: datagram fault proxy (loopback sockets)', function () {
  this.timeout(10_000);
  let lab: Lab;
  let proxy: FaultProxy | undefined;
  const clients: Client[] = [];

  before(async () => {
    lab = await startLab({ kinds: ['udp-echo'], pki: await sharedTestPki() });
  });
  after(() => lab.close());
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
    for (const c of clients.splice(0)) await c.close();
  });

  async function start(faults?: unknown, onEvent?: (e: FaultEvent) => void): Promise<FaultProxy> {
    proxy = await startFaultProxy({ target: { port: lab.server('udp-echo').port }, faults, onEvent });
    return proxy;
  }
  async function newClient(): Promise<Client> {
    const c = await client();
    clients.push(c);
    return c;
  }

  it('forwards both ways, locks onto the first sender, and counts', async () => {
    const p = await start();
    const c = await newClient();
    await c.send('ping', p.port);
    await until(() => c.received.length === 1);
    expect(c.received[0]!.toString()).to.equal('ping');
    expect(p.client()).to.deep.equal({ address: '127.0.0.1', port: c.socket.address().port });
    expect(p.stats.toServer).to.include({ received: 1, forwarded: 1, bytesIn: 4 });
    expect(p.stats.toClient).to.include({ received: 1, forwarded: 1 });
    expect(p.address).to.equal('127.0.0.1');
  });

  it('ignores datagrams from any address but its client', async () => {
    const events: FaultEvent[] = [];
    const p = await start({}, (e) => events.push(e));
    const device = await newClient();
    const intruder = await newClient();
    await device.send('mine', p.port);
    await until(() => device.received.length === 1);
    await intruder.send('spoofed', p.port);
    await until(() => p.stats.ignored === 1);
    expect(intruder.received).to.have.length(0);
    expect(p.stats.toServer.received).to.equal(1);
    expect(events.filter((e) => e.action === 'ignored')).to.have.length(1);
  });

  it('applies a JSON spec (drop everything to the server) and setFaults replaces it', async () => {
    const p = await start(JSON.parse('{"seed": 3, "toServer": {"drop": 1}}'));
    const c = await newClient();
    await c.send('lost', p.port);
    await until(() => p.stats.toServer.dropped === 1);
    expect(p.faults()).to.deep.equal({ seed: 3, toServer: { drop: 1 } });
    p.setFaults({ duplicate: 1 });
    await c.send('twice', p.port);
    await until(() => c.received.length === 4); // two copies up, each echoed, each duplicated down
    expect(c.received.map(String)).to.deep.equal(['twice', 'twice', 'twice', 'twice']);
    expect(() => p.setFaults({ drop: 'x' })).to.throw(/faults\.drop/);
  });

  it('inject sends raw bytes to either side past the faults', async () => {
    const p = await start({ drop: 1 });
    const c = await newClient();
    await c.send('hello', p.port); // dropped, but the proxy now knows its client
    await until(() => p.client() !== null);
    p.inject('to-client', Buffer.from('injected'));
    await until(() => c.received.length === 1);
    expect(c.received[0]!.toString()).to.equal('injected');
    const echoed = lab.stats('udp-echo').datagrams;
    p.inject('to-server', Buffer.from('up'));
    await until(() => lab.stats('udp-echo').datagrams === echoed + 1);
    expect(p.stats.toServer.injected).to.equal(1);
  });

  it('refuses a target off loopback, a bad port or a bad spec; close is idempotent', async () => {
    const cases: Array<[Parameters<typeof startFaultProxy>[0], RegExp]> = [
      [{ target: { host: '10.0.0.1', port: 5684 } }, /loopback/],
      [{ target: { port: 0 } }, /port must be 1\.\.65535/],
      [{ target: { port: 5684 }, faults: { drop: -1 } }, /faults\.drop/],
    ];
    for (const [options, message] of cases) {
      const error = await startFaultProxy(options).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.message, JSON.stringify(options)).to.match(message);
    }
    const p = await start();
    await p.close();
    await p.close();
  });
});
