// A trace named on the command line: the uart.jsonl itself, or the run folder that holds it.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readTrace } from '../../shared/trace/trace-reader.ts';
import type { TraceAnalysis } from './analysis-types.ts';
import { analyzeTrace } from './trace-analysis.ts';

export const TRACE_FILE_NAME = 'uart.jsonl';

export function resolveTraceFile(path: string): string {
  if (existsSync(path) && statSync(path).isDirectory()) return join(path, TRACE_FILE_NAME);
  return path;
}

/** Reads and analyses; a malformed file throws TraceFormatError naming the line. */
export function analyzeTraceFile(path: string): TraceAnalysis {
  const file = resolveTraceFile(path);
  return analyzeTrace(readTrace(file), { file });
}
