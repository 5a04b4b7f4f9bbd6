// The runner's side of simulated time for one run (docs/simulated-time.md). The run's parts — the MCU
// and modem processes, and in the runner the wire, the fault proxies, the run's DTLS servers and the
// scenario's timeout — share one simulated clock. Time moves only when every part has reported that
// it has nothing to do and no byte is in flight (in-flight.ts); then it jumps to the earliest timer
// anywhere. A move is two-phase: the processes hear the new time and fire what is due first, and only
// once they have answered do the runner's own timers fire (the wire delivers), so a process never reads
// a byte stamped with a time it has not been told yet.
import type { ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { log } from '../../shared/log.ts';
import { ManualClock } from '../../shared/manual-clock.ts';
import {
  isSimIdleReport,
  isSimTimeMessage,
  type SimTimeMessage,
  type SocketCounts,
} from '../../shared/sim/sim-messages.ts';
import { inFlight, type PartView, type ServerCounts, type WireByteCounts } from './in-flight.ts';

export type PartName = 'mcu' | 'modem';

/** Turns of the runner's event loop with nothing changing before time may move (its own servers settle). */
const SETTLE_TURNS = 3;
/** Turns spent spinning on the runner's own reads before polling for them every millisecond instead. */
const SPIN_TURNS = 32;
/**
 * Checks of the runner's own loop with nothing changing after which what it waits for is held, not in
 * flight (a lab server that stopped reading, a peer half-open for good). Counted in turns of the
 * runner's loop, in which its servers run too, so a busy host does not make it come sooner.
 */
const RUNNER_STUCK_CHECKS = 500;

const simLog = log.child('runner', 'SIM');

export interface TimeCoordinatorSources {
  /** what the wire has read and delivered (zeros before both ends dialled in) */
  wire: () => WireByteCounts;
  /** the lab servers' ends of the modem's connections */
  server: ServerCounts;
  /** the lab forgets a connection both ends are done with (UDP ports come round again) */
  forget?: (key: string) => void;
}

export class TimeCoordinator {
  /** the runner's timers of this run: the wire's pacing, fault proxies, DTLS servers, the timeout */
  readonly clock = new ManualClock();
  private readonly parts: Record<PartName, PartView> = {
    mcu: { report: null, ipcSent: 0, gone: false },
    modem: { report: null, ipcSent: 0, gone: false },
  };
  private readonly children = new Map<PartName, ChildProcess>();
  private readonly connections = new Map<string, SocketCounts>();
  private readonly unknown = new Map<string, number>();
  private epoch = 0;
  /** a move whose processes have not all answered yet */
  private moving: number | null = null;
  private scheduled = false;
  private spins = 0;
  private runnerChecks = 0;
  private runnerSignature = '';
  private stableTurns = 0;
  private lastSignature = '';
  private stopped = false;

  constructor(private readonly sources: TimeCoordinatorSources) {}

  get now(): number {
    return this.clock.now();
  }

  /** A spawned part: its reports drive the clock; what the runner sends it is counted. */
  attach(name: PartName, child: ChildProcess): void {
    const part = this.parts[name];
    this.children.set(name, child);
    const send = child.send.bind(child) as (...args: unknown[]) => boolean;
    child.send = ((message: unknown, ...rest: unknown[]) => {
      if (!isSimTimeMessage(message)) part.ipcSent++;
      return send(message, ...rest);
    }) as ChildProcess['send'];
    child.on('message', (message: unknown) => {
      if (!isSimIdleReport(message)) return;
      part.report = message;
      if (name === 'modem') for (const counts of message.sockets) this.connections.set(counts.key, counts);
      this.poke();
    });
    child.once('exit', () => {
      part.gone = true;
      this.poke();
    });
  }

  /** Something changed in the runner (the wire read bytes, an end dialled in): look again. */
  poke = (): void => {
    this.spins = 0;
    this.runnerChecks = 0;
    this.schedule();
  };

  stop(): void {
    this.stopped = true;
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(this.evaluate);
  }

  private evaluate = (): void => {
    this.scheduled = false;
    if (this.stopped) return;
    const names: PartName[] = ['mcu', 'modem'];
    for (const name of names) {
      const part = this.parts[name];
      if (part.gone) continue;
      // Not spawned yet, not reported yet, or not yet answered the last move.
      if (!this.children.has(name) || !part.report || part.report.epoch < this.epoch) return;
    }
    if (this.moving !== null) {
      this.finishMove(this.moving);
      return;
    }
    const waiting = inFlight({
      mcu: this.parts.mcu,
      modem: this.parts.modem,
      wire: this.sources.wire(),
      connections: this.connections,
      server: this.sources.server,
      unknown: this.unknown,
      ...(this.sources.forget ? { forget: this.sources.forget } : {}),
    });
    if (waiting === 'part') return;
    if (waiting === 'runner' && !this.runnerStuck()) {
      this.stableTurns = 0;
      this.waitForRunner();
      return;
    }
    // Everything read: let the runner's own servers finish what those bytes started.
    const signature = this.signature();
    if (signature !== this.lastSignature) {
      this.lastSignature = signature;
      this.stableTurns = 0;
    }
    if (++this.stableTurns < SETTLE_TURNS) {
      this.schedule();
      return;
    }
    this.stableTurns = 0;
    this.startMove();
  };

  /** The runner has waited on its own reads through RUNNER_STUCK_CHECKS checks where nothing changed. */
  private runnerStuck(): boolean {
    const signature = this.signature();
    if (signature !== this.runnerSignature) {
      this.runnerSignature = signature;
      this.runnerChecks = 0;
    }
    if (++this.runnerChecks < RUNNER_STUCK_CHECKS) return false;
    if (this.runnerChecks === RUNNER_STUCK_CHECKS)
      simLog.debug(
        `${signature}: nothing moved for ${RUNNER_STUCK_CHECKS} checks; taken as held, not in flight`,
      );
    return true;
  }

  /** The bytes are already in the runner's kernel buffers: spin a few turns, then poll. */
  private waitForRunner(): void {
    if (++this.spins <= SPIN_TURNS) {
      this.schedule();
      return;
    }
    this.scheduled = true;
    setTimeout(this.evaluate, 1);
  }

  private signature(): string {
    const wire = this.sources.wire();
    const servers = [...this.connections.keys()].map((key) => {
      const counts = this.sources.server(key);
      return counts ? `${counts.sent}/${counts.received}` : '-';
    });
    return `${wire.fromMcu},${wire.toMcu},${wire.fromModem},${wire.toModem};${servers.join(',')}`;
  }

  private nextDeadline(): number | undefined {
    let next = this.clock.nextDeadline();
    for (const part of Object.values(this.parts)) {
      const at = part.gone ? null : (part.report?.nextAt ?? null);
      if (at !== null && (next === undefined || at < next)) next = at;
    }
    return next;
  }

  private startMove(): void {
    const next = this.nextDeadline();
    if (next === undefined) {
      simLog.debug(`nothing will ever happen at ${this.now} ms: no timer anywhere and every part idle`);
      return;
    }
    const now = Math.max(next, this.clock.now());
    if (process.env.TLSSIM_SIM_TRACE)
      appendFileSync(
        process.env.TLSSIM_SIM_TRACE,
        `move ${this.clock.now()} -> ${now}; connections ${JSON.stringify([...this.connections.values()])} lab ${JSON.stringify([...this.connections.keys()].map((k) => this.sources.server(k)))} parts ${JSON.stringify([this.parts.mcu.report, this.parts.modem.report].map((r) => r && { ...r, sockets: undefined }))} wire ${JSON.stringify(this.sources.wire())}\n`,
      );
    this.epoch++;
    this.moving = now;
    // The runner's clock reads the new time from now on (what a process sends while it fires its timers
    // reaches the wire at this time), but the runner's own timers due now fire only once the processes
    // have answered (finishMove).
    this.clock.jumpTo(now);
    const message: SimTimeMessage = { type: 'sim-time', epoch: this.epoch, now };
    let told = 0;
    for (const name of ['mcu', 'modem'] as const) {
      const part = this.parts[name];
      if (part.gone) continue;
      told++;
      // A part that has just exited cannot take the message; its exit event follows.
      this.children.get(name)?.send(message, (error) => {
        if (error) simLog.debug(`${name} did not take the time: ${error.message}`);
      });
    }
    if (told === 0) this.finishMove(now);
  }

  private finishMove(now: number): void {
    this.moving = null;
    this.clock.advanceTo(now);
    this.poke();
  }
}
