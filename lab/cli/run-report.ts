// What `tlssim run` prints: a progress line per run (a failure with everything needed to act on it),
// a line per run its mode excluded, the summary, and the --json document. Kept apart from the command
// so run-command.ts stays about options and jobs.
import { attemptLine, failureLines, type SkippedRun } from '../report/failure-lines.ts';
import type { RunResult } from '../runner/retry.ts';
import type { Shard } from '../runner/shard.ts';

/** PASS, FAIL, or FLAKY for a run that passed only on a retry (never plain green). */
export function statusWord(r: RunResult): 'PASS' | 'FAIL' | 'FLAKY' {
  return r.status === 'failed' ? 'FAIL' : r.flaky ? 'FLAKY' : 'PASS';
}

export function progressLine(r: RunResult, done: number, total: number): string {
  const tries = r.attempts
    ? `, ${r.status === 'passed' ? 'passed on attempt' : 'failed'} ${r.attempts.length}${r.status === 'passed' ? ` of ${r.attempts.length}` : ' attempts'}`
    : '';
  const head = `[${String(done).padStart(String(total).length)}/${total}] ${statusWord(r)} ${r.scenario} (${r.mode}) ${(r.durationMs / 1000).toFixed(1)} s${tries}`;
  // Earlier attempts: why each failed and where its files are, for a flaky run as for a failed one.
  const earlier = (r.attempts ?? []).slice(0, -1).map(attemptLine);
  if (r.status === 'passed') return [head, ...earlier].join('\n      ');
  return [head, ...failureLines(r), ...earlier].join('\n      ');
}

export function skippedLine(s: SkippedRun): string {
  return `SKIP ${s.scenario} (${s.mode}): ${s.reason}`;
}

/** Passed (first time), flaky (passed on a retry), failed: each run in exactly one. */
export function counts(results: readonly RunResult[]) {
  const failed = results.filter((r) => r.status === 'failed').length;
  const flaky = results.filter((r) => r.flaky).length;
  return { passed: results.length - failed - flaky, flaky, failed };
}

export function summaryLine(
  results: RunResult[],
  skipped: SkippedRun[],
  outDir: string,
  shard?: Shard,
): string {
  const { passed, flaky, failed } = counts(results);
  const flakyPart = flaky ? `, ${flaky} flaky` : '';
  const shardPart = shard ? ` in shard ${shard.index}/${shard.total}` : '';
  return `\n${passed} passed${flakyPart}, ${failed} failed, ${skipped.length} skipped${shardPart}  (traces and logs in ${outDir}, index: ${outDir}/index.html)`;
}

/** The --json document: counts, the seed in force, each result with its costs, metrics and files. */
export function jsonReport(
  results: RunResult[],
  skipped: SkippedRun[],
  seed: number | undefined,
  shard?: Shard,
): string {
  const { passed, flaky, failed } = counts(results);
  return JSON.stringify({
    passed,
    flaky,
    failed,
    skipped: skipped.length,
    shard: shard ? `${shard.index}/${shard.total}` : null,
    // null: each scenario's own seeds (faults.seed, uartFaults.seed; 1 for the link and TLSSIM_SEED)
    seed: seed ?? null,
    results: results.map((r) => ({
      scenario: r.scenario,
      file: r.file,
      mode: r.mode,
      status: r.status,
      durationMs: r.durationMs,
      clock: r.clock,
      simulatedMs: r.simulatedMs,
      phases: r.phases,
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
      flaky: r.flaky,
      attempts: r.attempts,
    })),
    skippedRuns: skipped,
  });
}
