// A simulated part reports idle only when its event loop has really run dry: not while a TCP connect
// is still in progress, and with its earliest timer and byte counts.
import { once } from 'node:events';
import net from 'node:net';
import { expect } from 'chai';
import type { SimIdleReport } from '../../../shared/sim/sim-messages.ts';
import { SimulatedPart } from '../../../shared/sim/simulated-part.ts';
import { SocketLedger } from '../../../shared/sim/socket-ledger.ts';

function fakeChannel() {
  const reports: Array<{ report: SimIdleReport; connected: boolean }> = [];
  const listeners: Array<(message: unknown) => void> = [];
  const state = { connected: false };
  return {
    state,
    reports,
    deliver: (message: unknown) => {
      for (const listener of listeners) listener(message);
    },
    channel: {
      on: (_event: string, listener: (message: unknown) => void) => listeners.push(listener),
      send: (report: SimIdleReport) => {
        reports.push({ report, connected: state.connected });
        return true;
      },
    },
  };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 1));
}

describe('a simulated part', () => {
  it('does not report idle while a TCP connect is in progress, then reports the connection', async () => {
    const server = net.createServer((socket) => socket.end());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as net.AddressInfo).port;
    const fake = fakeChannel();
    const part = new SimulatedPart(fake.channel as unknown as NodeJS.Process);
    const ledger = new SocketLedger('client', part.poke);
    part.reportSockets(ledger);
    let localPort = 0;
    let socket: net.Socket | undefined;
    // Start the connect where a device does, inside an I/O callback (the poll phase): the part's check
    // then runs in the same turn of the loop, before the connect's completion can be seen.
    const trigger = net.createServer((peer) =>
      peer.once('data', () => {
        socket = net.connect({ host: '127.0.0.1', port }, () => {
          fake.state.connected = true;
          localPort = socket?.localPort ?? 0;
          if (socket) ledger.trackStream(socket);
        });
        socket.on('error', () => undefined);
        part.poke();
      }),
    );
    trigger.listen(0, '127.0.0.1');
    await once(trigger, 'listening');
    const poker = net.connect((trigger.address() as net.AddressInfo).port, '127.0.0.1', () =>
      poker.write('x'),
    );
    try {
      await until(() => fake.reports.length > 0);
      expect(fake.reports[0]?.connected, 'reported while the connect was still in progress').to.equal(true);
      expect(fake.reports[0]?.report.sockets.map((s) => s.key)).to.deep.equal([`${localPort}>${port}`]);
    } finally {
      socket?.destroy();
      poker.destroy();
      trigger.close();
      server.close();
    }
  });

  it('reports its earliest timer, and fires what a move of time makes due before reporting again', async () => {
    const fake = fakeChannel();
    const part = new SimulatedPart(fake.channel as unknown as NodeJS.Process);
    const fired: number[] = [];
    part.clock.setTimeout(() => fired.push(part.clock.now()), 1000);
    part.clock.setTimeout(() => fired.push(part.clock.now()), 3000);
    part.poke();
    await until(() => fake.reports.length === 1);
    expect(fake.reports[0]?.report).to.include({ epoch: 0, nextAt: 1000, ipcReceived: 0 });
    fake.deliver({ type: 'sim-time', epoch: 1, now: 1000 });
    await until(() => fake.reports.length === 2);
    expect(fired).to.deep.equal([1000]);
    expect(fake.reports[1]?.report).to.include({ epoch: 1, nextAt: 3000 });
    fake.deliver({ type: 'network-event', id: 1 });
    await until(() => fake.reports.length === 3);
    expect(fake.reports[2]?.report.ipcReceived).to.equal(1);
  });
});
