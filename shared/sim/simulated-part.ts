// The part side of simulated time, in the MCU and the modem process: a ManualClock that only the
// runner's coordinator moves (lab/sim/time-coordinator.ts), and a report to the coordinator whenever
// the process has run out of work: its earliest timer and the byte counts that let the coordinator
// see what is still in flight towards it (docs/simulated-time.md).
//
// "Out of work" is judged on the event loop: no setImmediate pending, no connect, DNS or file request
// outstanding, no destroyed socket still to emit 'close'. An await the loop cannot see (a module loading
// on the loader thread) is not work to it: a part first reports once it is up (docs/simulated-time.md,
// "Limits"). Host CPU time inside a part never moves time: a starved process simply reports later.

import type { Duplex } from 'node:stream';
import { ManualClock } from '../manual-clock.ts';
import { isSimTimeMessage, type SimIdleReport } from './sim-messages.ts';
import type { SocketLedger } from './socket-ledger.ts';
import { countUartBytes, type UartByteCounts } from './uart-byte-counter.ts';

/** Requests on the event loop that mean the process is still working on something. */
const WORKING_REQUESTS = new Set([
  // A TCP connect in progress (process.getActiveResourcesInfo() calls it ConnectWrap).
  'ConnectWrap',
  'TCPConnectWrap',
  'GetAddrInfoReqWrap',
  'GetNameInfoReqWrap',
  'QueryReqWrap',
  'FSReqCallback',
  'FSReqPromise',
  'ShutdownWrap',
]);

/** Turns of the event loop a check spins on pending immediates before it polls on a timer. */
const SPIN_TURNS = 64;

type IpcChannel = Pick<NodeJS.Process, 'on'> & { send?: NodeJS.Process['send'] };

// Saved before anything replaces the globals with simulated ones (shared/sim/simulated-globals.ts).
const wallSetTimeout = globalThis.setTimeout;

export class SimulatedPart {
  readonly clock = new ManualClock();
  private epoch = 0;
  private ipcReceived = 0;
  private uart: UartByteCounts = { sent: 0, received: 0 };
  private sockets: SocketLedger | undefined;
  private checking = false;
  private spins = 0;

  constructor(private readonly channel: IpcChannel = process) {
    channel.on('message', (message: unknown) => {
      if (isSimTimeMessage(message)) {
        this.epoch = message.epoch;
        this.clock.advanceTo(message.now);
      } else {
        this.ipcReceived++;
      }
      this.poke();
    });
  }

  /** Counts the UART end's bytes (open it before the first report that should count it). */
  countUart(port: Duplex): void {
    this.uart = countUartBytes(port, () => this.poke());
  }

  /** The modem's host sockets, reported with every report. */
  reportSockets(ledger: SocketLedger): void {
    this.sockets = ledger;
  }

  /** Something happened that the part must report on once it settles. */
  poke = (): void => {
    if (this.checking) return;
    this.checking = true;
    setImmediate(this.check);
  };

  private check = (): void => {
    const resources = process.getActiveResourcesInfo();
    // A destroyed socket's 'close' comes in the loop's close phase, after this check: look again then.
    if (resources.includes('Immediate') || this.sockets?.settling()) {
      // Look again next turn; after many turns (a long chain of immediates, or another checker in the
      // same process looking at ours) on a timer instead, which leaves no immediate of ours behind.
      if (++this.spins <= SPIN_TURNS) setImmediate(this.check);
      else wallSetTimeout(this.check, 1);
      return;
    }
    if (resources.some((name) => WORKING_REQUESTS.has(name))) {
      // A request completes on its own; poll for it without spinning.
      wallSetTimeout(this.check, 1);
      return;
    }
    this.spins = 0;
    this.checking = false;
    this.report();
  };

  private report(): void {
    const report: SimIdleReport = {
      type: 'sim-idle',
      epoch: this.epoch,
      nextAt: this.clock.nextDeadline() ?? null,
      uart: { ...this.uart },
      ipcReceived: this.ipcReceived,
      sockets: this.sockets?.counts() ?? [],
    };
    this.channel.send?.(report);
  }
}
