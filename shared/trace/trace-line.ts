// One line of uart.jsonl (trace-format.ts) parsed: the header, a chunk, a fault mark, or a line of a
// kind this reader does not know (skipped, so a newer writer's lines do not break it).
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
    /** the line is not JSON at all: on a last line without its newline, a write cut short */
    readonly notJson = false,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}

/**
 * A chunk exactly as TraceWriter.record writes it is taken apart by position, because JSON.parse of
 * every line is most of the cost of reading a trace; anything else (fault marks, other writers'
 * spacing or key order, escapes) takes the general path. `t` must be a number in JSON's grammar
 * (RFC 8259, section 6), so Number() reads it as JSON.parse would.
 */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const DIR_KEY = ',"dir":"';
const DATA_KEY = '","data":"';

function writerChunk(file: string, no: number, text: string): TraceChunk | null {
  if (!text.startsWith('{"t":') || !text.endsWith('"}')) return null;
  const dirAt = text.indexOf(DIR_KEY, 5);
  if (dirAt < 0) return null;
  const dir = text.slice(dirAt + DIR_KEY.length, dirAt + DIR_KEY.length + 2);
  const dataAt = dirAt + DIR_KEY.length + 2;
  if ((dir !== 'tx' && dir !== 'rx') || !text.startsWith(DATA_KEY, dataAt)) return null;
  const t = text.slice(5, dirAt);
  const data = text.slice(dataAt + DATA_KEY.length, -2);
  if (!JSON_NUMBER.test(t) || data.includes('"') || data.includes('\\')) return null;
  return chunk(file, no, Number(t), dir, data);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function json(file: string, no: number, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new TraceFormatError(file, no, 'not a JSON object', true);
  }
}

export function parseHeaderLine(file: string, no: number, text: string): TraceHeader {
  if (text.trim() === '')
    throw new TraceFormatError(file, no, `empty: no ${TRACE_FORMAT} header (the run wrote nothing)`);
  const head = json(file, no, text) as Partial<TraceHeader> | null;
  if (!head || head.format !== TRACE_FORMAT)
    throw new TraceFormatError(file, no, `header is not a ${TRACE_FORMAT} header`);
  return head as TraceHeader;
}

type RawLine = {
  t?: unknown;
  dir?: unknown;
  data?: unknown;
  fault?: unknown;
  offset?: unknown;
  detail?: unknown;
};

/** A chunk, a fault mark, or null for a line to skip (blank, or of an unknown kind). */
export function parseBodyLine(file: string, no: number, text: string): TraceChunk | TraceFault | null {
  const fast = writerChunk(file, no, text);
  if (fast) return fast;
  if (text.trim() === '') return null;
  const row = json(file, no, text) as RawLine | null;
  // Not a chunk: a fault mark, or a line of a kind this reader does not know, which it skips (a chunk
  // always has data, so a damaged chunk is still an error below).
  if (row && typeof row === 'object' && !('data' in row) && typeof row.t === 'number') return faultMark(row);
  if (
    !row ||
    typeof row.t !== 'number' ||
    (row.dir !== 'tx' && row.dir !== 'rx') ||
    typeof row.data !== 'string'
  ) {
    throw new TraceFormatError(file, no, 'expected {"t":<ms>,"dir":"tx"|"rx","data":"<base64>"}');
  }
  return chunk(file, no, row.t, row.dir, row.data);
}

function chunk(file: string, no: number, t: number, dir: 'tx' | 'rx', data: string): TraceChunk {
  if (!BASE64.test(data)) throw new TraceFormatError(file, no, 'data is not base64');
  return { t, dir, data: Buffer.from(data, 'base64') };
}

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
