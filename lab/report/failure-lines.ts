// What a failed or skipped run says about itself, in the same words in the progress output
// (lab/cli/run-report.ts) and in JUnit (lab/report/junit.ts).
import type { Attempt } from '../runner/retry.ts';
import type { ScenarioResult } from '../runner/run-scenario.ts';
import type { Mode } from '../scenario/scenario-types.ts';

/** A scenario and mode that did not run because the scenario does not support the mode. */
export interface SkippedRun {
  scenario: string;
  file: string;
  mode: Mode;
  reason: string;
}

export function skippedRun(scenario: string, file: string, mode: Mode, allowed: readonly Mode[]): SkippedRun {
  return { scenario, file, mode, reason: `runs only in ${allowed.join(', ')} (its modes or mbed_app.json)` };
}

/** The lines a failure carries, in the progress output and in JUnit's <failure>. */
export function failureLines(r: ScenarioResult): string[] {
  return [
    `step: ${r.step ?? '?'}`,
    `error: ${r.error}`,
    ...(r.where ? [`at: ${r.where}`] : []),
    ...(r.causes ?? []).map((cause) => `cause: ${cause}`),
    ...(r.logs.mcu ? [`mcu.log: ${r.logs.mcu}`] : []),
    ...(r.logs.modem ? [`modem.log: ${r.logs.modem}`] : []),
    ...(r.logs.trace ? [`trace: ${r.logs.trace}`] : []),
  ];
}

/** One earlier attempt of a retried run, on one line: how it failed and where its files are. */
export function attemptLine(a: Attempt): string {
  const where = a.where ? ` at ${a.where}` : '';
  return `attempt ${a.attempt} ${a.status}: ${a.step ?? '?'}: ${a.error ?? ''}${where} (${a.dir || 'no folder'})`;
}
