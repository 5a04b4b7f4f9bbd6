// What the runner's time coordinator and the simulated parts (the MCU and modem processes) say to each
// other over the processes' IPC channel (docs/simulated-time.md). Time moves only in "sim-time"
// messages; a part answers every one, and anything else that woke it, with a "sim-idle" report once it
// has nothing left to do.

/** The coordinator moves time: fire what is due at `now`, then report. */
export interface SimTimeMessage {
  type: 'sim-time';
  /** increases with every move; a report answers the latest one it saw */
  epoch: number;
  /** simulated milliseconds since the run started */
  now: number;
}

/** One host socket's byte counts as its owner sees them (shared/sim/socket-ledger.ts). */
export interface SocketCounts {
  /** "<client port>><server port>" on loopback (UDP: "u<client port>><server port>") */
  key: string;
  sent: number;
  received: number;
  /** the owner stopped reading it (backpressure): bytes toward it are held, not in flight */
  paused: boolean;
  /** the owner closed it: bytes toward it will never be read */
  closed: boolean;
}

/** A part has nothing left to do until time moves or bytes reach it. */
export interface SimIdleReport {
  type: 'sim-idle';
  epoch: number;
  /** the part's earliest timer (simulated ms), or null for none */
  nextAt: number | null;
  /** bytes the part wrote to and read from its UART end */
  uart: { sent: number; received: number };
  /** IPC messages other than sim-time the part has received */
  ipcReceived: number;
  /** the part's host sockets (the modem's connections to the lab) */
  sockets: SocketCounts[];
}

export function isSimTimeMessage(message: unknown): message is SimTimeMessage {
  return (message as SimTimeMessage | null)?.type === 'sim-time';
}

export function isSimIdleReport(message: unknown): message is SimIdleReport {
  return (message as SimIdleReport | null)?.type === 'sim-idle';
}
