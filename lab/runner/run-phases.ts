// Where a run's host time goes, for `tlssim run --json` (issue: a suite CI can lean on): setting up
// (folder, trace, the run's servers, the wire), spawning the two processes until both dialled into the
// wire, powering up (RDY, the AT set-up, the PDP context) until the app starts, the app itself, and
// tearing down (stopping the processes, closing the trace, checking it). Host milliseconds, whichever
// clock the run is on: this is what the run cost the machine, not the device's time.

export type RunPhase = 'setup' | 'spawn' | 'powerUp' | 'app' | 'teardown';

/** Milliseconds per phase; a phase the run never reached is absent. */
export type RunPhaseTimes = Partial<Record<`${RunPhase}Ms`, number>>;

const ORDER: readonly RunPhase[] = ['setup', 'spawn', 'powerUp', 'app', 'teardown'];

export class RunPhases {
  private readonly started = new Map<RunPhase, number>();
  private ended: number | null = null;

  /** `phase` starts now (and the one before it ends). A phase already started keeps its start. */
  begin(phase: RunPhase): void {
    if (!this.started.has(phase)) this.started.set(phase, performance.now());
  }

  end(): void {
    this.ended ??= performance.now();
  }

  times(): RunPhaseTimes {
    const out: RunPhaseTimes = {};
    const begun = ORDER.filter((phase) => this.started.has(phase));
    for (const [i, phase] of begun.entries()) {
      const start = this.started.get(phase) as number;
      const next = begun[i + 1];
      const stop = next ? (this.started.get(next) as number) : (this.ended ?? performance.now());
      out[`${phase}Ms`] = Math.round(stop - start);
    }
    return out;
  }
}
