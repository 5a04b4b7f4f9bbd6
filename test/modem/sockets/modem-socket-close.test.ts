// AT+QICLOSE on a connection whose path went dead (server-silent-drop) drops the host socket at once; on
// a live path it closes gracefully within the command's <timeout> (docs/deviations.md, "Network and modem
// events"). Checked on what the transport was asked to do, not on how long it took.
import { expect } from 'chai';
import { ModemSocket } from '../../../modem/sockets/modem-socket.ts';
import type { Transport } from '../../../modem/sockets/transport.ts';
import { createLogger } from '../../../shared/log.ts';

function fakeTransport(calls: string[]): Transport {
  return {
    send: async () => true,
    unacked: 0,
    localPort: 0,
    close: async (timeoutMs) => {
      calls.push(`close(${timeoutMs})`);
    },
    destroy: () => {
      calls.push('destroy');
    },
  };
}

function socket(): ModemSocket {
  return new ModemSocket(
    {
      id: 0,
      family: 'qi',
      contextId: 1,
      service: 'TCP',
      remoteHost: '127.0.0.1',
      remotePort: 7,
      localPort: 0,
      accessMode: 0,
    },
    { urc: () => undefined, log: createLogger(() => undefined), closedPolicy: 'afterDrain' },
  );
}

describe('modem socket close', () => {
  it('a live path closes gracefully, bounded by the command’s timeout', async () => {
    const calls: string[] = [];
    const s = socket();
    s.attach(fakeTransport(calls));
    s.announce();
    await s.close(10_000);
    expect(calls).to.deep.equal(['close(10000)']);
  });

  it('a dead path (server-silent-drop) drops the host socket at once: no FIN wait', async () => {
    const calls: string[] = [];
    const s = socket();
    s.attach(fakeTransport(calls));
    s.announce();
    s.cutOff();
    await s.close(10_000);
    expect(calls).to.deep.equal(['destroy']);
  });
});
