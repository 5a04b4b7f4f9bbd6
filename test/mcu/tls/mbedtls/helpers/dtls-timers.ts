// Mbed TLS timer callbacks for tests: a virtual clock the test advances (instant and deterministic), and
// the same contract on real time.

/** The f_set_timer / f_get_timer contract over some clock. */
export class DtlsTimer {
  /** Every (intermediate, final) pair Mbed TLS asked for, in order. */
  readonly delays: Array<[number, number]> = [];
  private intermediateAt = 0;
  private finalAt: number | null = null;

  constructor(private readonly now: () => number) {}

  setDelay = (intermediateMs: number, finalMs: number): void => {
    this.delays.push([intermediateMs, finalMs]);
    if (finalMs === 0) {
      this.finalAt = null;
      return;
    }
    this.intermediateAt = this.now() + intermediateMs;
    this.finalAt = this.now() + finalMs;
  };

  getDelay = (): number => {
    if (this.finalAt === null) return -1;
    if (this.now() >= this.finalAt) return 2;
    if (this.now() >= this.intermediateAt) return 1;
    return 0;
  };

  /** The final deadline, or null when cancelled. */
  get deadline(): number | null {
    return this.finalAt;
  }

  /** The final delays requested, 0 meaning cancel. */
  get finals(): number[] {
    return this.delays.map(([, final]) => final);
  }

  /**
   * The successive retransmission timeouts: Mbed TLS arms the timer before and again after sending a
   * flight, and cancels it (0) before each retransmission, so these are the non-zero finals with a
   * repeat that no cancel separates counted once.
   */
  get timeouts(): number[] {
    const result: number[] = [];
    let armed = false;
    for (const final of this.finals) {
      if (final === 0) {
        armed = false;
        continue;
      }
      if (!armed || final !== result.at(-1)) result.push(final);
      armed = true;
    }
    return result;
  }
}

export class VirtualClock {
  now = 0;
  readonly timers: DtlsTimer[] = [];

  timer(): DtlsTimer {
    const timer = new DtlsTimer(() => this.now);
    this.timers.push(timer);
    return timer;
  }

  /** Jumps to the earliest running final deadline; false if no timer runs. */
  advanceToNextDeadline(): boolean {
    const deadlines = this.timers
      .map((t) => t.deadline)
      .filter((d): d is number => d !== null && d > this.now);
    if (deadlines.length === 0) return false;
    this.now = Math.min(...deadlines);
    return true;
  }
}

export function realTimer(): DtlsTimer {
  return new DtlsTimer(() => performance.now());
}
