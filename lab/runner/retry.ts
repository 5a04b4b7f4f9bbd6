// `tlssim run --retries N`: a failed run is run again, up to N more times, with the same options and
// seed (so a second failure of a seeded fault replays; a pass on retry points at timing). A run that
// passes only on a retry is flaky, never plain green: it keeps every attempt, and each failed
// attempt's folder is kept beside the last one (<mode>.attempt-1/, …) for its logs and trace.
import { existsSync, renameSync, rmSync } from 'node:fs';
import type { RunLogs, ScenarioResult } from './run-scenario.ts';

/** One attempt of a run that was retried. */
export interface Attempt {
  attempt: number;
  status: 'passed' | 'failed';
  durationMs: number;
  error?: string;
  step?: string;
  where?: string;
  causes?: string[];
  /** the attempt's folder: the run's own for the last attempt, <mode>.attempt-k/ for an earlier one */
  dir: string;
  logs: RunLogs;
}

/** A run's result with its attempts when it was retried (the result itself is the last attempt). */
export interface RunResult extends ScenarioResult {
  /** every attempt, first to last; absent when the first attempt decided */
  attempts?: Attempt[];
  /** passed, but only after failing: reported as FLAKY, JUnit <flakyFailure> */
  flaky?: true;
}

export function isFlaky(r: RunResult): boolean {
  return r.flaky === true;
}

/** Runs `once` until it passes or `retries` more attempts have failed. */
export async function runWithRetries(
  once: () => Promise<ScenarioResult>,
  retries: number,
): Promise<RunResult> {
  const attempts: Attempt[] = [];
  for (let attempt = 1; ; attempt++) {
    const result = await once();
    if (result.status === 'passed' || attempt > retries) {
      if (attempts.length === 0) return result;
      attempts.push(attemptOf(result, attempt, result.dir, result.logs));
      return { ...result, attempts, ...(result.status === 'passed' ? { flaky: true as const } : {}) };
    }
    attempts.push(keepAside(result, attempt));
  }
}

/** Moves a failed attempt's folder out of the way of the next attempt, so its files survive. */
function keepAside(result: ScenarioResult, attempt: number): Attempt {
  if (!result.dir || !existsSync(result.dir)) return attemptOf(result, attempt, result.dir, result.logs);
  const dir = `${result.dir}.attempt-${attempt}`;
  rmSync(dir, { recursive: true, force: true });
  renameSync(result.dir, dir);
  const moved = (path: string) => (path ? dir + path.slice(result.dir.length) : '');
  return attemptOf(result, attempt, dir, {
    mcu: moved(result.logs.mcu),
    modem: moved(result.logs.modem),
    trace: moved(result.logs.trace),
  });
}

function attemptOf(r: ScenarioResult, attempt: number, dir: string, logs: RunLogs): Attempt {
  return {
    attempt,
    status: r.status,
    durationMs: r.durationMs,
    ...(r.error === undefined ? {} : { error: r.error }),
    ...(r.step === undefined ? {} : { step: r.step }),
    ...(r.where === undefined ? {} : { where: r.where }),
    ...(r.causes === undefined ? {} : { causes: r.causes }),
    dir,
    logs,
  };
}
