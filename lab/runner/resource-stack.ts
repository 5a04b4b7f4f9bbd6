// Resources acquired one after another and released in reverse order on every path, in the manner of
// TC39's AsyncDisposableStack (https://github.com/tc39/proposal-explicit-resource-management), which
// Node 20 offers only behind flags. Unlike it, a failing release is returned as a value rather than
// thrown, so the runner can fold it into its result instead of losing the run's own outcome.

export type Release = () => void | Promise<void>;

export interface ReleaseFailure {
  /** what the release was for, e.g. "close the trace writer" */
  label: string;
  error: Error;
}

export class ResourceStack {
  private readonly releases: Array<{ label: string; release: Release }> = [];
  private disposed = false;

  /** Runs `release` when the stack is disposed, before everything deferred earlier. */
  defer(label: string, release: Release): void {
    if (this.disposed) throw new Error(`cannot defer "${label}": the stack is already disposed`);
    this.releases.push({ label, release });
  }

  /** Registers an acquired resource's release and hands the resource back. */
  use<T>(label: string, resource: T, release: (resource: T) => void | Promise<void>): T {
    this.defer(label, () => release(resource));
    return resource;
  }

  /** Releases everything, last acquired first; a failing release is reported, and the rest still run. */
  async disposeAsync(): Promise<ReleaseFailure[]> {
    this.disposed = true;
    const failures: ReleaseFailure[] = [];
    for (let entry = this.releases.pop(); entry; entry = this.releases.pop()) {
      try {
        await entry.release();
      } catch (error) {
        failures.push({ label: entry.label, error: asError(error) });
      }
    }
    return failures;
  }
}

function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}
