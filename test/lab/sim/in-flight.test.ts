// When may simulated time move? Only when nothing any part or the runner sent is still unread.
import { expect } from 'chai';
import { type InFlightInput, inFlight, type PartView } from '../../../lab/sim/in-flight.ts';
import type { SimIdleReport, SocketCounts } from '../../../shared/sim/sim-messages.ts';

function part(uart: { sent: number; received: number }, ipcReceived = 0, ipcSent = 0): PartView {
  const report: SimIdleReport = { type: 'sim-idle', epoch: 0, nextAt: null, uart, ipcReceived, sockets: [] };
  return { report, ipcSent, gone: false };
}

function input(overrides: Partial<InFlightInput> = {}): InFlightInput {
  return {
    mcu: part({ sent: 10, received: 20 }),
    modem: part({ sent: 20, received: 10 }),
    wire: { fromMcu: 10, toMcu: 20, fromModem: 20, toModem: 10 },
    connections: new Map(),
    server: () => undefined,
    unknown: new Map(),
    ...overrides,
  };
}

const conn = (counts: Partial<SocketCounts>): SocketCounts => ({
  key: '50000>40000',
  sent: 0,
  received: 0,
  paused: false,
  closed: false,
  ...counts,
});

describe('simulated time: bytes in flight', () => {
  it('nothing in flight when every byte sent has been read at the other end', () => {
    expect(inFlight(input())).to.equal('nothing');
  });

  it('waits for the runner while the wire has not read what a part wrote', () => {
    expect(inFlight(input({ wire: { fromMcu: 9, toMcu: 20, fromModem: 20, toModem: 10 } }))).to.equal(
      'runner',
    );
  });

  it('waits for a part while it has not read what the wire delivered, or an IPC message', () => {
    expect(inFlight(input({ wire: { fromMcu: 10, toMcu: 21, fromModem: 20, toModem: 10 } }))).to.equal(
      'part',
    );
    expect(inFlight(input({ modem: part({ sent: 20, received: 10 }, 1, 2) }))).to.equal('part');
  });

  it('ignores a part that has exited', () => {
    const gone: PartView = { ...part({ sent: 0, received: 0 }), gone: true };
    expect(
      inFlight(input({ mcu: gone, wire: { fromMcu: 10, toMcu: 99, fromModem: 20, toModem: 10 } })),
    ).to.equal('nothing');
  });

  it('a connection: the lab has not read the modem bytes → runner; the modem has not read the lab bytes → part', () => {
    const connections = new Map([['50000>40000', conn({ sent: 100, received: 50 })]]);
    const lab = (sent: number, received: number) => () => conn({ sent, received });
    expect(inFlight(input({ connections, server: lab(50, 99) }))).to.equal('runner');
    expect(inFlight(input({ connections, server: lab(60, 100) }))).to.equal('part');
    expect(inFlight(input({ connections, server: lab(50, 100) }))).to.equal('nothing');
  });

  it('bytes towards a paused or closed end are held, not in flight', () => {
    const paused = new Map([['50000>40000', conn({ sent: 100, received: 50, paused: true })]]);
    expect(
      inFlight(input({ connections: paused, server: () => conn({ sent: 60, received: 100 }) })),
    ).to.equal('nothing');
    const open = new Map([['50000>40000', conn({ sent: 100, received: 50 })]]);
    expect(
      inFlight(input({ connections: open, server: () => conn({ sent: 50, received: 90, closed: true }) })),
    ).to.equal('nothing');
  });

  it('a connection the lab has not accepted yet is waited for, then taken for an outside peer', () => {
    const state = input({ connections: new Map([['50000>40000', conn({ sent: 5 })]]) });
    const answers = Array.from({ length: 70 }, () => inFlight(state));
    expect(answers.slice(0, 64).every((a) => a === 'runner')).to.equal(true);
    expect(answers[69]).to.equal('nothing');
  });

  it('forgets a closed connection once the lab has read everything, and tells the lab to forget it too', () => {
    const connections = new Map([['u50000>40000', conn({ key: 'u50000>40000', sent: 7, closed: true })]]);
    const forgotten: string[] = [];
    const state = input({
      connections,
      server: () => conn({ received: 7 }),
      forget: (key) => forgotten.push(key),
    });
    expect(inFlight(state)).to.equal('nothing');
    expect(connections.size).to.equal(0);
    // A later UDP socket on the same ports starts from zero at both ends instead of waiting forever.
    expect(forgotten).to.deep.equal(['u50000>40000']);
  });
});
