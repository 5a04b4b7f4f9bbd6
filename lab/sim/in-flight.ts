// Where the bytes of one simulated run stand: every byte a part or the runner sent must have been read
// by the other end before simulated time may move (docs/simulated-time.md). The answer says who the
// coordinator is waiting for: a part (it will report once it read them) or the runner itself (its wire
// or a lab server has not read them yet; they are already in the kernel, so the next turn of the
// runner's event loop does).
import type { SimIdleReport, SocketCounts } from '../../shared/sim/sim-messages.ts';

export type Waiting = 'nothing' | 'part' | 'runner';

/** What the runner's wire has read from and delivered to each end. */
export interface WireByteCounts {
  fromMcu: number;
  toMcu: number;
  fromModem: number;
  toModem: number;
}

export interface PartView {
  report: SimIdleReport | null;
  /** IPC messages the runner sent it (other than sim-time) */
  ipcSent: number;
  gone: boolean;
}

/** The lab's end of a connection, by its "<client port>><server port>" key. */
export type ServerCounts = (key: string) => SocketCounts | undefined;

export interface InFlightInput {
  mcu: PartView;
  modem: PartView;
  wire: WireByteCounts;
  /** the modem's connections: its last report's, plus closed ones the lab end has not caught up with */
  connections: Map<string, SocketCounts>;
  server: ServerCounts;
  /** keys the lab has no end for (yet): how many checks each has been unknown for */
  unknown: Map<string, number>;
  /** both ends are done with this connection: the lab forgets it too, as its ports may come round again */
  forget?: (key: string) => void;
}

/** A connection the lab has not accepted after this many checks is to a peer outside the runner. */
const UNKNOWN_CHECKS = 64;

function worst(a: Waiting, b: Waiting): Waiting {
  if (a === 'part' || b === 'part') return 'part';
  if (a === 'runner' || b === 'runner') return 'runner';
  return 'nothing';
}

function uartWaiting(part: PartView, readByWire: number, deliveredByWire: number): Waiting {
  if (part.gone || !part.report) return 'nothing';
  let waiting: Waiting = 'nothing';
  if (part.report.uart.sent > readByWire) waiting = 'runner';
  if (deliveredByWire > part.report.uart.received) waiting = 'part';
  if (part.ipcSent > part.report.ipcReceived) waiting = 'part';
  return waiting;
}

function connectionWaiting(input: InFlightInput, counts: SocketCounts, modemGone: boolean): Waiting {
  const server = input.server(counts.key);
  if (!server) {
    if (counts.closed || modemGone) {
      input.connections.delete(counts.key);
      return 'nothing';
    }
    const checks = (input.unknown.get(counts.key) ?? 0) + 1;
    input.unknown.set(counts.key, checks);
    return checks > UNKNOWN_CHECKS ? 'nothing' : 'runner';
  }
  input.unknown.delete(counts.key);
  let waiting: Waiting = 'nothing';
  const upHeld = server.closed || server.paused;
  if (counts.sent > server.received && !upHeld) waiting = 'runner';
  const downHeld = counts.closed || counts.paused || modemGone;
  if (server.sent > counts.received && !downHeld) waiting = worst(waiting, 'part');
  if (waiting === 'nothing' && (counts.closed || modemGone)) {
    input.connections.delete(counts.key);
    input.forget?.(counts.key);
  }
  return waiting;
}

/** Who the run is waiting for before time may move. */
export function inFlight(input: InFlightInput): Waiting {
  const { wire } = input;
  let waiting = worst(
    uartWaiting(input.mcu, wire.fromMcu, wire.toMcu),
    uartWaiting(input.modem, wire.fromModem, wire.toModem),
  );
  for (const counts of [...input.connections.values()])
    waiting = worst(waiting, connectionWaiting(input, counts, input.modem.gone));
  return waiting;
}
