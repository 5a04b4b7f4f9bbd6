// Records the modem's host sockets to network.jsonl (network-log-format.ts). Process-wide, like the log
// sink: the host transports ask for a tap when a connection opens and get none when no file is set
// (TLSSIM_NETWORK_LOG unset), so an unrecorded modem pays one environment lookup per connection.
// Lines are written synchronously: the runner may kill the modem at any moment, and what was written
// before then must be whole.
import { closeSync, openSync, writeSync } from 'node:fs';
import {
  formatEndpoint,
  NETWORK_LOG_ENV,
  NETWORK_LOG_FORMAT,
  NETWORK_LOG_VERSION,
  type NetworkDirection,
  type NetworkEvent,
  type NetworkProtocol,
} from './network-log-format.ts';

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

/** One host socket's taps; every call records one line. */
export interface ConnectionTap {
  sent(bytes: Uint8Array, to?: Endpoint): void;
  received(bytes: Uint8Array, from?: Endpoint): void;
  fin(dir: NetworkDirection): void;
  closed(): void;
}

let epochNow = (): number => performance.timeOrigin + performance.now();

/**
 * Milliseconds since 1970 with microsecond resolution: the time base shared with the UART trace. Wall
 * time, or on simulated time the simulated clock from the trace's epoch (setCaptureClock).
 */
export function captureNow(): number {
  return Math.round(epochNow() * 1000) / 1000;
}

/** Stamps capture lines `epochMs` + `clock.now()` (a modem on simulated time). */
export function setCaptureClock(clock: { now(): number }, epochMs: number): void {
  epochNow = () => epochMs + clock.now();
}

/** An event before its time stamp (Omit distributed over the union, so each kind keeps its fields). */
type Untimed<E> = E extends NetworkEvent ? Omit<E, 't'> : never;

class NetworkRecorder {
  private fd: number | null = null;
  private nextConn = 1;

  constructor(readonly file: string) {}

  /** One line; a capture that cannot be written costs the capture, never the connection. */
  write(event: Untimed<NetworkEvent>): void {
    try {
      if (this.fd === null) {
        this.fd = openSync(this.file, 'w');
        writeSync(
          this.fd,
          `${JSON.stringify({ format: NETWORK_LOG_FORMAT, version: NETWORK_LOG_VERSION })}\n`,
        );
      }
      writeSync(this.fd, `${JSON.stringify({ t: captureNow(), ...event })}\n`);
    } catch {
      // the run goes on without this line
    }
  }

  open(
    proto: NetworkProtocol,
    local: Endpoint,
    remote: Endpoint | undefined,
    modemTls: boolean,
  ): ConnectionTap {
    const conn = this.nextConn++;
    this.write({
      conn,
      ev: 'open',
      proto,
      local: formatEndpoint(local.address, local.port),
      ...(remote ? { remote: formatEndpoint(remote.address, remote.port) } : {}),
      ...(modemTls ? { modemTls } : {}),
    });
    let closed = false;
    const data = (ev: NetworkDirection, bytes: Uint8Array, peer?: Endpoint) => {
      if (closed || bytes.length === 0) return;
      this.write({
        conn,
        ev,
        data: Buffer.from(bytes).toString('base64'),
        ...(peer ? { peer: formatEndpoint(peer.address, peer.port) } : {}),
      });
    };
    const fins = new Set<NetworkDirection>();
    return {
      sent: (bytes, to) => data('up', bytes, to),
      received: (bytes, from) => data('down', bytes, from),
      fin: (dir) => {
        if (closed || fins.has(dir)) return;
        fins.add(dir);
        this.write({ conn, ev: 'fin', dir });
      },
      closed: () => {
        if (closed) return;
        closed = true;
        this.write({ conn, ev: 'close' });
      },
    };
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

let recorder: NetworkRecorder | null = null;

/**
 * A tap for a new host connection, or undefined when nothing records. The file is TLSSIM_NETWORK_LOG,
 * read when the first connection opens; a different value later (tests) starts a new file.
 */
export function tapConnection(
  proto: NetworkProtocol,
  local: Endpoint,
  remote: Endpoint | undefined,
  modemTls = false,
): ConnectionTap | undefined {
  const file = process.env[NETWORK_LOG_ENV];
  if (!file) return undefined;
  if (!recorder || recorder.file !== file) {
    recorder?.close();
    recorder = new NetworkRecorder(file);
  }
  return recorder.open(proto, local, remote, modemTls);
}
