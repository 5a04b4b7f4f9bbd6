// --clock simulated|wall, for the commands that run device parts (docs/simulated-time.md).
import { UsageError } from './cli-args.ts';

export type ClockKind = 'simulated' | 'wall';

export const CLOCK_KINDS: readonly ClockKind[] = ['simulated', 'wall'];

export function clockOption(value: string | undefined, fallback: ClockKind): ClockKind {
  if (value === undefined) return fallback;
  if ((CLOCK_KINDS as readonly string[]).includes(value)) return value as ClockKind;
  throw new UsageError(`--clock must be simulated or wall, got "${value}"`);
}

/** A part on simulated time is driven by the runner over its IPC channel; by hand there is none. */
export function requireCoordinator(command: string): void {
  if (!process.send)
    throw new UsageError(
      `tlssim ${command} --clock simulated runs only under the runner (tlssim run), which moves its time; by hand use --clock wall`,
    );
}
