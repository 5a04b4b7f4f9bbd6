// What `tlssim run` prints: a progress line per run (a failure with everything needed to act on it),
// a line per run its mode excluded, the summary, and the --json document. Kept apart from the command
// so run-command.ts stays about options and jobs.
import { failureLines, type SkippedRun } from '../report/failure-lines.ts';
import type { ScenarioResult } from '../runner/run-scenario.ts';

export function progressLine(r: ScenarioResult, done: number, total: number): string {
  const head = `[${String(done).padStart(String(total).length)}/${total}] ${r.status === 'passed' ? 'PASS' : 'FAIL'} ${r.scenario} (${r.mode}) ${(r.durationMs / 1000).toFixed(1)} s`;
  if (r.status === 'passed') return head;
  return [head, ...failureLines(r)].join('\n      ');
}

export function skippedLine(s: SkippedRun): string {
  return `SKIP ${s.scenario} (${s.mode}): ${s.reason}`;
}

export function summaryLine(results: ScenarioResult[], skipped: SkippedRun[], outDir: string): string {
  const failed = results.filter((r) => r.status === 'failed').length;
  return `\n${results.length - failed} passed, ${failed} failed, ${skipped.length} skipped  (traces and logs in ${outDir})`;
}

/** The --json document: counts, the seed in force, each result with its costs, metrics and files. */
export function jsonReport(
  results: ScenarioResult[],
  skipped: SkippedRun[],
  seed: number | undefined,
): string {
  const failed = results.filter((r) => r.status === 'failed').length;
  return JSON.stringify({
    passed: results.length - failed,
    failed,
    skipped: skipped.length,
    // null: each scenario's own seeds (faults.seed, uartFaults.seed; 1 for the link and TLSSIM_SEED)
    seed: seed ?? null,
    results: results.map((r) => ({
      scenario: r.scenario,
      file: r.file,
      mode: r.mode,
      status: r.status,
      durationMs: r.durationMs,
      trace: r.trace,
      error: r.error,
      step: r.step,
      where: r.where,
      causes: r.causes,
      logs: r.logs,
      metrics: r.metrics,
      costs: r.costs,
      uartFaults: r.uartFaults,
      link: r.link.name,
    })),
    skippedRuns: skipped,
  });
}
