// Reads uart.jsonl back, naming the line of anything malformed. `openTrace` streams: it holds one
// line at a time, so a soak run's trace of any size reads in constant memory; `readTrace` collects
// the stream into arrays for callers that want the whole trace (small traces, tests).
import { fileLines, type SourceLine, textLines } from './line-source.ts';
import type { TraceChunk, TraceFault, TraceHeader } from './trace-format.ts';
import { parseBodyLine, parseHeaderLine, TraceFormatError } from './trace-line.ts';

export { TraceFormatError } from './trace-line.ts';

export interface Trace {
  header: TraceHeader;
  chunks: TraceChunk[];
  /** the wire's fault marks, in the order written (empty when it injected none) */
  faults?: TraceFault[];
  /** the last line was cut short (a run killed mid-write) and was left out */
  truncated?: boolean;
}

/** What `TraceStream` yields: chunks and fault marks, in file order (chunks carry `data`). */
export type TraceRecord = TraceChunk | TraceFault;

export const isChunk = (record: TraceRecord): record is TraceChunk => 'data' in record;

/**
 * A trace read front to back, a line at a time. The header is read when the stream is made; each
 * iteration reads the file again from its first record. `truncated` is known once an iteration has
 * reached the end.
 */
export class TraceStream implements Iterable<TraceRecord> {
  readonly header: TraceHeader;
  truncated = false;

  constructor(
    readonly file: string,
    private readonly lines: () => Generator<SourceLine>,
  ) {
    // Only the first line; returning the generator closes the file at once (an iteration opens it again).
    const source = lines();
    let first: IteratorResult<SourceLine>;
    try {
      first = source.next();
    } finally {
      source.return(undefined);
    }
    this.header = parseHeaderLine(file, 1, first.done ? '' : first.value.text);
  }

  *[Symbol.iterator](): Generator<TraceRecord> {
    this.truncated = false;
    const lines = this.lines();
    lines.next(); // the header
    for (const line of lines) {
      let record: TraceRecord | null;
      try {
        record = parseBodyLine(this.file, line.no, line.text);
      } catch (error) {
        // A run killed while writing leaves a last line without its newline: read up to it, and say so.
        if (!line.unterminated || !(error instanceof TraceFormatError) || !error.notJson) throw error;
        this.truncated = true;
        return;
      }
      if (record) yield record;
    }
  }
}

export function openTrace(file: string): TraceStream {
  return new TraceStream(file, () => fileLines(file));
}

export function traceFromText(text: string, file = '<trace>'): TraceStream {
  return new TraceStream(file, () => textLines(text));
}

/** The whole stream in memory. */
export function collectTrace(stream: TraceStream): Trace {
  const chunks: TraceChunk[] = [];
  const faults: TraceFault[] = [];
  for (const record of stream) {
    if (isChunk(record)) chunks.push(record);
    else faults.push(record);
  }
  return { header: stream.header, chunks, faults, ...(stream.truncated ? { truncated: true } : {}) };
}

export function parseTrace(text: string, file = '<trace>'): Trace {
  return collectTrace(traceFromText(text, file));
}

export function readTrace(file: string): Trace {
  return collectTrace(openTrace(file));
}

/** All bytes of one direction, concatenated. */
export function directionBytes(trace: Trace, dir: 'tx' | 'rx'): Buffer {
  return Buffer.concat(trace.chunks.filter((c) => c.dir === dir).map((c) => c.data));
}
