// `tlssim run` writes each run's HTML report (the one `tlssim trace --html` writes, with the run's cost
// card, as `tlssim demo` does) beside its trace, so the index page can link every run to it. A trace
// that does not analyse (a run killed mid-write) gets no report, not a failed suite: its uart.jsonl
// and logs are still linked. Nor does a very long trace (a soak): its report would be tens of MB in
// every CI artifact and seconds to write; `tlssim trace --html` makes it when someone wants it.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { log } from '../../shared/log.ts';
import { messageOf } from '../runner/error-message.ts';
import { readAirConnections } from '../runner/run-costs.ts';
import type { ScenarioResult } from '../runner/run-scenario.ts';
import { analyzeTraceFile } from '../trace/trace-file.ts';
import { writeHtmlReport } from './html-report.ts';

export const RUN_REPORT_FILE = 'report.html';

/** A suite run's trace is ~0.1 MB; a 1000-cycle soak's ~10 MB, whose report is ~28 MB. */
export const MAX_REPORTED_TRACE_BYTES = 2_000_000;

/** Writes <run dir>/report.html for each run with a trace; returns the reports written, by result. */
export function writeRunReports(results: readonly ScenarioResult[]): Map<ScenarioResult, string> {
  const written = new Map<ScenarioResult, string>();
  for (const result of results) {
    if (!result.trace || !result.dir) continue;
    const file = join(result.dir, RUN_REPORT_FILE);
    try {
      const size = statSync(result.trace).size;
      if (size > MAX_REPORTED_TRACE_BYTES) {
        log
          .child('runner')
          .info(
            `${result.scenario} (${result.mode}): trace of ${size} bytes, no report.html (tlssim trace --html)`,
          );
        continue;
      }
      const analysis = analyzeTraceFile(result.trace);
      const connections = readAirConnections(join(result.dir, 'air.jsonl'));
      writeHtmlReport([{ analysis, costs: result.costs, connections }], file, {
        title: `tlssim run: ${result.scenario} (${result.mode})`,
      });
      written.set(result, file);
    } catch (error) {
      log.child('runner').warn(`no HTML report for ${result.scenario} (${result.mode}): ${messageOf(error)}`);
    }
  }
  return written;
}
