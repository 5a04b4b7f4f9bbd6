// The analyser's result held whole, for what wants every event at once (the HTML report, the demo,
// tests): the streaming analysis (analysis-stream.ts) collected. `tlssim trace` streams instead.

import type { TraceFault } from '../../shared/trace/trace-format.ts';
import type { Trace } from '../../shared/trace/trace-reader.ts';
import { AnalysisStream, type AnalyzeOptions } from './analysis-stream.ts';
import type { DataPhaseAnalysis, TraceAnalysis } from './analysis-types.ts';
import type { AtEvent, DataEvent } from './at-events.ts';
import { recordsOf, type TraceRecords } from './trace-feed.ts';

export type { AnalyzeOptions } from './analysis-stream.ts';

export function analyzeTrace(trace: Trace, options: AnalyzeOptions = {}): TraceAnalysis {
  return analyzeRecords(recordsOf(trace), options);
}

/** The records of a trace (a TraceStream reads them from the file as it goes), analysed and held. */
export function analyzeRecords(records: TraceRecords, options: AnalyzeOptions = {}): TraceAnalysis {
  const stream = new AnalysisStream(records, options, true);
  const events: AtEvent[] = [];
  const phases: DataPhaseAnalysis[] = [];
  const phaseOf = new Map<DataEvent, DataPhaseAnalysis>();
  const faults: TraceFault[] = [];
  for (const item of stream.items()) {
    if (item.kind === 'fault') {
      faults.push(item.fault);
      continue;
    }
    events.push(item.event);
    if (item.phase && item.event.kind === 'data') {
      phases.push(item.phase);
      phaseOf.set(item.event, item.phase);
    }
  }
  return {
    header: stream.header,
    label: stream.label,
    file: stream.file,
    events,
    phases,
    phaseOf,
    connections: stream.connections,
    faults,
    warnings: stream.warnings,
    summary: stream.summary,
  };
}
