// Shared pieces of the TLSSocketWrapper tests: the lab servers, wrappers over scripted transports that
// are cleaned up after each test, and small drivers (send everything, read exactly n bytes, wait for a
// sigio) that fail loudly instead of hanging.
import { expect } from 'chai';
import { type Lab, startLab } from '../../../lab/servers/lab.ts';
import type { ServerKind } from '../../../lab/servers/server-kinds.ts';
import type { Socket } from '../../../mcu/netsocket/socket.ts';
import { control_transport, TLSSocketWrapper } from '../../../mcu/tls/tls-socket-wrapper.ts';
import { NSAPI_ERROR_WOULD_BLOCK } from '../../../shared/nsapi.ts';
import { SocketAddress } from '../../../shared/socket-address.ts';
import { ScriptedTransport, type ScriptedTransportOptions } from './scripted-transport.ts';

/** Starts the lab servers before the suite and stops them after; the getter is valid inside tests. */
export function useLab(kinds: readonly ServerKind[]): () => Lab {
  let lab: Lab | undefined;
  before(async () => {
    lab = await startLab({ kinds });
  });
  after(async () => {
    await lab?.close();
  });
  return () => {
    if (!lab) throw new Error('lab not started');
    return lab;
  };
}

/** The loopback address of a lab server (what the modem would resolve its name to). */
export function labAddress(lab: Lab, kind: ServerKind): SocketAddress {
  return new SocketAddress('127.0.0.1', lab.server(kind).port);
}

export interface WrapperOptions extends ScriptedTransportOptions {
  control?: control_transport;
  /** The name given to the constructor; null for none. Default: the tls-echo server's name. */
  hostname?: string | null;
  /** Trust the lab CA (default true). */
  trustLab?: boolean;
}

export interface Wrapped {
  wrapper: TLSSocketWrapper;
  transport: ScriptedTransport;
}

/** Wrappers made during a test, released after it (close, destroy, drop the connection). */
export function useWrappers(lab: () => Lab): (options?: WrapperOptions) => Wrapped {
  const made: Wrapped[] = [];
  afterEach(async () => {
    for (const { wrapper, transport } of made.splice(0)) {
      // A stalled transport would hold close_notify forever; a hang here is reported, not waited out.
      transport.release();
      await withinMs(wrapper.destroy(), 3000, 'TLSSocketWrapper.destroy()');
      transport.dispose();
    }
  });
  return (options = {}) => {
    const transport = new ScriptedTransport(options);
    const hostname = options.hostname === undefined ? lab().server('tls-echo').host : options.hostname;
    const wrapper = new TLSSocketWrapper(
      transport,
      hostname,
      options.control ?? control_transport.TRANSPORT_CONNECT_AND_CLOSE,
    );
    if (options.trustLab ?? true) expect(wrapper.set_root_ca_cert(lab().pki.caPem)).to.equal(0);
    made.push({ wrapper, transport });
    return { wrapper, transport };
  };
}

/** The promise's value, or an error if it takes longer than `limitMs` (a hang is a failure, not a wait). */
export async function withinMs<T>(promise: Promise<T>, limitMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not settle within ${limitMs} ms`)), limitMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Sends all of `data` (a socket may take less per call), failing on any error. */
export async function sendAll(socket: Socket, data: Uint8Array): Promise<void> {
  for (let sent = 0; sent < data.length; ) {
    const n = await socket.send(data.subarray(sent));
    expect(n, 'send').to.be.greaterThan(0);
    sent += n;
  }
}

/** Reads exactly n bytes (blocking socket), failing on an error or an early end. */
export async function recvExactly(socket: Socket, n: number): Promise<Buffer> {
  const out = Buffer.alloc(n);
  for (let got = 0; got < n; ) {
    const ret = await socket.recv(out.subarray(got));
    expect(ret, 'recv').to.be.greaterThan(0);
    got += ret;
  }
  return out;
}

/** Sends a message through an echo server and checks it comes back unchanged. */
export async function expectEcho(socket: Socket, message: Uint8Array): Promise<void> {
  await sendAll(socket, message);
  expect((await recvExactly(socket, message.length)).equals(message)).to.equal(true);
}

/** Counts sigio callbacks and lets a test wait for the next one without missing any. */
export class SigioCounter {
  count = 0;
  private waiters: Array<() => void> = [];
  readonly callback = (): void => {
    this.count++;
    for (const wake of this.waiters.splice(0)) wake();
  };

  /** Resolves once more than `seen` callbacks happened; fails the test after `limitMs`. */
  async after(seen: number, limitMs = 5000): Promise<void> {
    if (this.count > seen) return;
    await withinMs(new Promise<void>((resolve) => this.waiters.push(resolve)), limitMs, 'the next sigio');
  }
}

/**
 * Drives a non-blocking operation the Mbed OS way: call it, and on every result in `pending` wait for a
 * sigio and call again. Returns the results seen, the final one last.
 */
export async function driveBySigio(
  sigio: SigioCounter,
  operation: () => Promise<number>,
  pending: readonly number[] = [NSAPI_ERROR_WOULD_BLOCK],
  maxCalls = 1000,
): Promise<number[]> {
  const results: number[] = [];
  for (let call = 0; call < maxCalls; call++) {
    const seen = sigio.count;
    const ret = await operation();
    results.push(ret);
    if (!pending.includes(ret)) return results;
    await sigio.after(seen);
  }
  throw new Error(`still pending after ${maxCalls} calls: ${results.slice(-5).join(', ')}`);
}

/** Random printable bytes, as the Greentea tests fill their buffers ('0'..'Z'). */
export function asciiPayload(size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = 0x30 + Math.floor(Math.random() * 43);
  return out;
}
