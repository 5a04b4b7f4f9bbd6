// Reads uart.jsonl back, naming the line of anything malformed.
import { readFileSync } from 'node:fs';
import {
  isUartFaultKind,
  TRACE_FORMAT,
  type TraceChunk,
  type TraceFault,
  type TraceHeader,
} from './trace-format.ts';

export class TraceFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}

export interface Trace {
  header: TraceHeader;
  chunks: TraceChunk[];
  /** the wire's fault marks, in the order written (empty when it injected none) */
  faults?: TraceFault[];
  /** the last line was cut short (a run killed mid-write) and was left out */
  truncated?: boolean;
}

function parseLine(file: string, lineNo: number, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new TraceFormatError(file, lineNo, 'not a JSON object');
  }
}

export function parseTrace(text: string, file = '<trace>'): Trace {
  const lines = text.split('\n');
  const head = parseLine(file, 1, lines[0] ?? '') as Partial<TraceHeader> | null;
  if (!head || head.format !== TRACE_FORMAT)
    throw new TraceFormatError(file, 1, `header is not a ${TRACE_FORMAT} header`);
  const chunks: TraceChunk[] = [];
  const faults: TraceFault[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    // A run killed while writing leaves a last line without its newline: read up to it, and say so.
    const unfinished = i === lines.length - 1 && !text.endsWith('\n');
    let row: RawLine | null;
    try {
      row = parseLine(file, i + 1, lines[i]) as typeof row;
    } catch (error) {
      if (!unfinished) throw error;
      return { header: head as TraceHeader, chunks, faults, truncated: true };
    }
    // Not a chunk: a fault mark, or a line of a kind this reader does not know, which it skips (a chunk
    // always has data, so a damaged chunk is still an error below).
    if (row && typeof row === 'object' && !('data' in row) && typeof row.t === 'number') {
      const mark = faultMark(row);
      if (mark) faults.push(mark);
      continue;
    }
    if (
      !row ||
      typeof row.t !== 'number' ||
      (row.dir !== 'tx' && row.dir !== 'rx') ||
      typeof row.data !== 'string'
    ) {
      throw new TraceFormatError(file, i + 1, 'expected {"t":<ms>,"dir":"tx"|"rx","data":"<base64>"}');
    }
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(row.data))
      throw new TraceFormatError(file, i + 1, 'data is not base64');
    chunks.push({ t: row.t, dir: row.dir, data: new Uint8Array(Buffer.from(row.data, 'base64')) });
  }
  return { header: head as TraceHeader, chunks, faults };
}

type RawLine = {
  t?: unknown;
  dir?: unknown;
  data?: unknown;
  fault?: unknown;
  offset?: unknown;
  detail?: unknown;
};

/** A well-formed mark of a known kind, or null (skipped). */
function faultMark(row: RawLine): TraceFault | null {
  if (!isUartFaultKind(row.fault) || (row.dir !== 'tx' && row.dir !== 'rx')) return null;
  if (typeof row.t !== 'number' || !Number.isInteger(row.offset) || (row.offset as number) < 0) return null;
  const detail: Record<string, number> = {};
  if (row.detail && typeof row.detail === 'object') {
    for (const [key, value] of Object.entries(row.detail)) if (typeof value === 'number') detail[key] = value;
  }
  return { t: row.t, dir: row.dir, fault: row.fault, offset: row.offset as number, detail };
}

export function readTrace(file: string): Trace {
  return parseTrace(readFileSync(file, 'utf8'), file);
}

/** All bytes of one direction, concatenated. */
export function directionBytes(trace: Trace, dir: 'tx' | 'rx'): Buffer {
  return Buffer.concat(trace.chunks.filter((c) => c.dir === dir).map((c) => c.data));
}
