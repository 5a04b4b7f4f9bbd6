// Walks the state table at the top of mcu/tls/tls-socket-wrapper.ts: drives a fresh wrapper into each
// state (over the scripted transport, against the lab's TLS echo server), checks that the `state` getter
// says so, and checks what each public call does there. Every state lists every public call, so a row
// missing from the walk fails too.
import { expect } from 'chai';
import {
  TLSSocketWrapperState as State,
  type TLSSocketWrapper,
} from '../../../mcu/tls/tls-socket-wrapper.ts';
import {
  NSAPI_ERROR_ALREADY,
  NSAPI_ERROR_AUTH_FAILURE,
  NSAPI_ERROR_IS_CONNECTED,
  NSAPI_ERROR_NO_CONNECTION,
  NSAPI_ERROR_NO_SOCKET,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_WOULD_BLOCK,
} from '../../../shared/nsapi.ts';
import { SocketAddress } from '../../../shared/socket-address.ts';
import type { ScriptedTransport } from './scripted-transport.ts';
import { CONTENT_ALERT, recordsOf } from './tls-records.ts';
import { labAddress, recvExactly, SigioCounter, useLab, useWrappers, withinMs } from './wrapper-fixture.ts';

const HELLO = Buffer.from('hello, states');
/** Longer than any socket timeout a row sets: a call still pending after it was not cut short. */
const HELD_MS = 120;

const CALLS = [
  'connect',
  'send',
  'recv',
  'close',
  'set_timeout / set_blocking',
  'sigio',
  'getpeername',
  'destroy',
] as const;
type Call = (typeof CALLS)[number];

interface InState {
  wrapper: TLSSocketWrapper;
  transport: ScriptedTransport;
  /** close() started by the closing state's driver */
  closing?: Promise<number>;
}

type Row = (s: InState) => Promise<void>;

/** True if the promise is still pending after `ms`. */
async function pendingAfter(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const pending = Symbol('pending');
  const timer = new Promise((resolve) => setTimeout(() => resolve(pending), ms));
  return (await Promise.race([promise, timer])) === pending;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const polling = (async () => {
    while (!condition()) await new Promise((resolve) => setImmediate(resolve));
  })();
  await withinMs(polling, 3000, what);
}

/** Alert records among what the transport wrote after its first `before` writes. */
const alertsSince = (transport: ScriptedTransport, before: number) =>
  recordsOf(transport.sent.slice(before)).filter((r) => r.type === CONTENT_ALERT).length;

describe('TLSSocketWrapper state table (mcu/tls/tls-socket-wrapper.ts)', function () {
  this.timeout(10_000);
  const lab = useLab(['tls-echo', 'tcp-echo']);
  const wrap = useWrappers(lab);
  const echo = () => labAddress(lab(), 'tls-echo');

  const connected = async (): Promise<InState> => {
    const s = wrap();
    expect(await s.wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
    return s;
  };

  /** How to drive a fresh wrapper into each state. */
  const DRIVE: Record<State, () => Promise<InState>> = {
    [State.IDLE]: async () => wrap(),
    [State.HANDSHAKING]: async () => {
      // A non-blocking wrapper would make the transport connect non-blocking too (IN_PROGRESS, TLS not
      // started): connect the transport first; the wrapper's connect then starts the handshake (ALREADY).
      const s = wrap();
      expect(await s.transport.connect(echo())).to.equal(NSAPI_ERROR_OK);
      s.wrapper.set_blocking(false);
      expect(await s.wrapper.connect(echo())).to.equal(NSAPI_ERROR_ALREADY);
      // The ClientHello's send returns at once on a non-blocking transport; then nothing is in flight.
      await until(() => s.wrapper.state !== State.TRANSPORT_CALL_IN_FLIGHT, 'the ClientHello send');
      return s;
    },
    [State.CONNECTED]: connected,
    [State.FAILED]: async () => {
      const s = wrap();
      expect(await s.wrapper.connect(labAddress(lab(), 'tcp-echo'))).to.equal(NSAPI_ERROR_AUTH_FAILURE);
      return s;
    },
    [State.TRANSPORT_CALL_IN_FLIGHT]: async () => {
      // Connected underneath; a non-blocking recv leaves its transport read in flight (held).
      const s = await connected();
      s.transport.hold();
      s.wrapper.set_blocking(false);
      expect(await s.wrapper.recv(new Uint8Array(16))).to.equal(NSAPI_ERROR_WOULD_BLOCK);
      s.wrapper.set_blocking(true);
      return s;
    },
    [State.CLOSING]: async () => {
      // close_notify's send is held: close() stays in progress until the transport lets go.
      const s = await connected();
      s.transport.hold();
      const closing = s.wrapper.close();
      await until(() => s.transport.heldCalls > 0, 'the close_notify send');
      return { ...s, closing };
    },
    [State.CLOSED]: async () => {
      const s = await connected();
      expect(await s.wrapper.close()).to.equal(NSAPI_ERROR_OK);
      return s;
    },
  };

  /** A blocking call while a transport call is held: not cut short by a shorter timeout; done once let go. */
  async function waitsForTheCall<T>(s: InState, call: () => Promise<T>, timeoutMs = 20): Promise<T> {
    s.wrapper.set_timeout(timeoutMs);
    const running = call();
    expect(await pendingAfter(running, HELD_MS), 'returned while the transport call was in flight').to.equal(
      true,
    );
    s.transport.letGo();
    return withinMs(running, 3000, 'the call after the transport let go');
  }

  /** A call made while close() runs: it waits for the close, then answers NO_SOCKET; the close is OK. */
  async function afterTheClose(s: InState, call: () => Promise<number>): Promise<void> {
    const running = call();
    expect(await pendingAfter(running, 20), 'answered before the close finished').to.equal(true);
    s.transport.letGo();
    expect(await running).to.equal(NSAPI_ERROR_NO_SOCKET);
    expect(await s.closing).to.equal(NSAPI_ERROR_OK);
  }

  /** What set_timeout does to the transport: only timeouts set before the handshake reach it (quirk). */
  function timeoutsForwarded(s: InState, forwarded: boolean): void {
    const before = s.transport.calls.timeouts.length;
    s.wrapper.set_timeout(25);
    s.wrapper.set_blocking(true);
    expect(s.transport.calls.timeouts.slice(before)).to.deep.equal(forwarded ? [25] : []);
  }

  /** The user's callback runs on a transport sigio. */
  async function sigioOnTransportEvent(s: InState): Promise<void> {
    const sigio = new SigioCounter();
    s.wrapper.sigio(sigio.callback);
    s.transport.signal();
    expect(sigio.count).to.equal(1);
  }

  /** Before and after the handshake without close_notify: the transport is closed, no alert of ours. */
  async function closesWithoutNotify(s: InState, close: () => Promise<unknown>): Promise<void> {
    const sent = s.transport.sent.length;
    await close();
    expect(alertsSince(s.transport, sent)).to.equal(0);
    expect(s.transport.calls.close).to.equal(1);
    expect(s.wrapper.state).to.equal(State.CLOSED);
  }

  const TABLE: Record<State, Record<Call, Row>> = {
    [State.IDLE]: {
      connect: async ({ wrapper }) => {
        expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
        expect(wrapper.state).to.equal(State.CONNECTED);
      },
      send: async ({ wrapper }) => {
        expect(await wrapper.send(HELLO)).to.equal(NSAPI_ERROR_NO_CONNECTION);
        expect(wrapper.state).to.equal(State.IDLE);
      },
      recv: async ({ wrapper }) => {
        expect(await wrapper.recv(new Uint8Array(4))).to.equal(NSAPI_ERROR_NO_CONNECTION);
      },
      close: async (s) => closesWithoutNotify(s, async () => expect(await s.wrapper.close()).to.equal(0)),
      'set_timeout / set_blocking': async (s) => timeoutsForwarded(s, true),
      sigio: async (s) => {
        const sigio = new SigioCounter();
        s.wrapper.sigio(sigio.callback);
        expect(await s.wrapper.close()).to.equal(NSAPI_ERROR_OK);
        expect(sigio.count).to.be.greaterThan(0);
      },
      getpeername: async ({ wrapper }) => {
        expect(wrapper.getpeername(new SocketAddress())).to.equal(NSAPI_ERROR_NO_CONNECTION);
      },
      destroy: async (s) => closesWithoutNotify(s, () => s.wrapper.destroy()),
    },

    [State.HANDSHAKING]: {
      connect: async ({ wrapper }) => {
        expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_ALREADY);
        wrapper.set_blocking(true);
        expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_IS_CONNECTED);
      },
      send: async ({ wrapper }) => {
        expect(await wrapper.send(HELLO)).to.equal(NSAPI_ERROR_WOULD_BLOCK);
        wrapper.set_blocking(true);
        expect(await wrapper.send(HELLO)).to.equal(HELLO.length);
        expect(wrapper.state).to.equal(State.CONNECTED);
      },
      recv: async ({ wrapper }) => {
        expect(await wrapper.recv(new Uint8Array(4))).to.equal(NSAPI_ERROR_WOULD_BLOCK);
        wrapper.set_timeout(300);
        // The handshake completes within this call; then nothing arrives within the timeout.
        expect(await wrapper.recv(new Uint8Array(4))).to.equal(NSAPI_ERROR_WOULD_BLOCK);
        expect(wrapper.state).to.equal(State.CONNECTED);
      },
      close: async (s) => closesWithoutNotify(s, async () => expect(await s.wrapper.close()).to.equal(0)),
      'set_timeout / set_blocking': async (s) => timeoutsForwarded(s, false),
      sigio: sigioOnTransportEvent,
      getpeername: async ({ wrapper }) => {
        expect(wrapper.getpeername(new SocketAddress())).to.equal(NSAPI_ERROR_NO_CONNECTION);
      },
      destroy: async (s) => closesWithoutNotify(s, () => s.wrapper.destroy()),
    },

    [State.CONNECTED]: {
      connect: async ({ wrapper }) => {
        expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_IS_CONNECTED);
      },
      send: async ({ wrapper }) => {
        expect(await wrapper.send(HELLO)).to.equal(HELLO.length);
      },
      recv: async ({ wrapper }) => {
        expect(await wrapper.send(HELLO)).to.equal(HELLO.length);
        expect((await recvExactly(wrapper, HELLO.length)).equals(HELLO)).to.equal(true);
      },
      close: async ({ wrapper, transport }) => {
        const sent = transport.sent.length;
        expect(await wrapper.close()).to.equal(NSAPI_ERROR_OK);
        expect(alertsSince(transport, sent)).to.equal(1);
        expect(wrapper.state).to.equal(State.CLOSED);
      },
      'set_timeout / set_blocking': async (s) => timeoutsForwarded(s, false),
      sigio: sigioOnTransportEvent,
      getpeername: async ({ wrapper }) => {
        const peer = new SocketAddress();
        expect(wrapper.getpeername(peer)).to.equal(NSAPI_ERROR_OK);
        expect(peer.equals(echo())).to.equal(true);
      },
      destroy: async ({ wrapper, transport }) => {
        const sent = transport.sent.length;
        await wrapper.destroy();
        expect(alertsSince(transport, sent)).to.equal(1);
        expect(wrapper.state).to.equal(State.CLOSED);
      },
    },

    [State.FAILED]: {
      connect: async ({ wrapper }) => {
        expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_AUTH_FAILURE);
      },
      send: async ({ wrapper }) => {
        expect(await wrapper.send(HELLO)).to.equal(NSAPI_ERROR_AUTH_FAILURE);
      },
      recv: async ({ wrapper }) => {
        expect(await wrapper.recv(new Uint8Array(4))).to.equal(NSAPI_ERROR_AUTH_FAILURE);
      },
      close: async (s) => closesWithoutNotify(s, async () => expect(await s.wrapper.close()).to.equal(0)),
      'set_timeout / set_blocking': async (s) => timeoutsForwarded(s, false),
      sigio: sigioOnTransportEvent,
      getpeername: async ({ wrapper }) => {
        expect(wrapper.getpeername(new SocketAddress())).to.equal(NSAPI_ERROR_NO_CONNECTION);
      },
      destroy: async (s) => closesWithoutNotify(s, () => s.wrapper.destroy()),
    },

    [State.TRANSPORT_CALL_IN_FLIGHT]: {
      connect: async ({ wrapper }) => {
        // Connected underneath: answered at once, the held read notwithstanding.
        expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_IS_CONNECTED);
      },
      send: async (s) => {
        expect(await waitsForTheCall(s, () => s.wrapper.send(HELLO))).to.equal(HELLO.length);
      },
      recv: async (s) => {
        // The held read returns WOULD_BLOCK once let go; then one wait for the peer, bounded by the timeout.
        expect(await waitsForTheCall(s, () => s.wrapper.recv(new Uint8Array(4)))).to.equal(
          NSAPI_ERROR_WOULD_BLOCK,
        );
      },
      close: async (s) => {
        const sent = s.transport.sent.length;
        expect(await waitsForTheCall(s, () => s.wrapper.close())).to.equal(NSAPI_ERROR_OK);
        expect(alertsSince(s.transport, sent)).to.equal(1);
        expect(s.wrapper.state).to.equal(State.CLOSED);
      },
      'set_timeout / set_blocking': async (s) => {
        // A blocking recv waits for the held read; a timeout set meanwhile does not cut it short, and
        // bounds the wait for the peer that follows.
        s.wrapper.set_blocking(true);
        const receiving = s.wrapper.recv(new Uint8Array(4));
        s.wrapper.set_timeout(5);
        expect(await pendingAfter(receiving, HELD_MS)).to.equal(true);
        s.transport.letGo();
        expect(await withinMs(receiving, 1000, 'recv')).to.equal(NSAPI_ERROR_WOULD_BLOCK);
      },
      sigio: async (s) => {
        const sigio = new SigioCounter();
        s.wrapper.sigio(sigio.callback);
        s.transport.letGo();
        await sigio.after(0); // the held read settling calls it (no transport event needed)
        expect(s.wrapper.state).to.equal(State.CONNECTED);
      },
      getpeername: async ({ wrapper }) => {
        expect(wrapper.getpeername(new SocketAddress())).to.equal(NSAPI_ERROR_OK);
      },
      destroy: async (s) => {
        await waitsForTheCall(s, () => s.wrapper.destroy());
        expect(s.wrapper.state).to.equal(State.CLOSED);
      },
    },

    [State.CLOSING]: {
      connect: (s) => afterTheClose(s, () => s.wrapper.connect(echo())),
      send: (s) => afterTheClose(s, () => s.wrapper.send(HELLO)),
      recv: (s) => afterTheClose(s, () => s.wrapper.recv(new Uint8Array(4))),
      close: (s) => afterTheClose(s, () => s.wrapper.close()),
      'set_timeout / set_blocking': async (s) => {
        s.wrapper.set_timeout(1);
        expect(await pendingAfter(s.closing as Promise<number>, 20), 'the close was cut short').to.equal(
          true,
        );
        s.transport.letGo();
        expect(await s.closing).to.equal(NSAPI_ERROR_OK);
      },
      sigio: async (s) => {
        const sigio = new SigioCounter();
        s.wrapper.sigio(sigio.callback);
        s.transport.letGo();
        expect(await s.closing).to.equal(NSAPI_ERROR_OK);
        expect(sigio.count).to.be.greaterThan(0);
      },
      getpeername: async (s) => {
        expect(s.wrapper.getpeername(new SocketAddress())).to.equal(NSAPI_ERROR_NO_CONNECTION);
        s.transport.letGo();
        expect(await s.closing).to.equal(NSAPI_ERROR_OK);
      },
      destroy: async (s) => {
        const destroying = s.wrapper.destroy();
        expect(await pendingAfter(destroying, 20), 'destroyed before the close finished').to.equal(true);
        s.transport.letGo();
        await destroying;
        expect(await s.closing).to.equal(NSAPI_ERROR_OK);
      },
    },

    [State.CLOSED]: {
      connect: async ({ wrapper }) => {
        expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_NO_SOCKET);
      },
      send: async ({ wrapper }) => {
        expect(await wrapper.send(HELLO)).to.equal(NSAPI_ERROR_NO_SOCKET);
      },
      recv: async ({ wrapper }) => {
        expect(await wrapper.recv(new Uint8Array(4))).to.equal(NSAPI_ERROR_NO_SOCKET);
      },
      close: async ({ wrapper }) => {
        expect(await wrapper.close()).to.equal(NSAPI_ERROR_NO_SOCKET);
      },
      'set_timeout / set_blocking': async (s) => timeoutsForwarded(s, false),
      sigio: async ({ wrapper, transport }) => {
        const sigio = new SigioCounter();
        wrapper.sigio(sigio.callback);
        transport.signal();
        expect(sigio.count).to.equal(0);
      },
      getpeername: async ({ wrapper }) => {
        expect(wrapper.getpeername(new SocketAddress())).to.equal(NSAPI_ERROR_NO_CONNECTION);
      },
      destroy: async ({ wrapper, transport }) => {
        await wrapper.destroy();
        expect(transport.calls.close).to.equal(1);
      },
    },
  };

  it('the table names every state of the enum, and every public call in each', () => {
    expect(Object.keys(TABLE)).to.have.members(Object.values(State));
    for (const rows of Object.values(TABLE)) expect(Object.keys(rows)).to.have.members([...CALLS]);
  });

  for (const state of Object.values(State)) {
    describe(state, () => {
      for (const call of CALLS) {
        it(call, async () => {
          const s = await DRIVE[state]();
          expect(s.wrapper.state, 'driven into').to.equal(state);
          await TABLE[state][call](s);
        });
      }
    });
  }
});
