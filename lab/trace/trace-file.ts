// A trace named on the command line: the uart.jsonl itself, or the run folder that holds it.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openTrace } from '../../shared/trace/trace-reader.ts';
import { AnalysisStream } from './analysis-stream.ts';
import type { TraceAnalysis } from './analysis-types.ts';
import { analyzeRecords } from './trace-analysis.ts';

export const TRACE_FILE_NAME = 'uart.jsonl';

export function resolveTraceFile(path: string): string {
  if (existsSync(path) && statSync(path).isDirectory()) return join(path, TRACE_FILE_NAME);
  return path;
}

/** Reads and analyses, holding the result whole; a malformed file throws TraceFormatError naming the line. */
export function analyzeTraceFile(path: string): TraceAnalysis {
  const file = resolveTraceFile(path);
  return analyzeRecords(openTrace(file), { file });
}

/**
 * The analysis of a trace file as a stream, read as its items are taken (constant memory); the header
 * is read at once, so a missing or headerless file throws here.
 */
export function streamTraceFile(path: string): AnalysisStream {
  const file = resolveTraceFile(path);
  return new AnalysisStream(openTrace(file), { file });
}
