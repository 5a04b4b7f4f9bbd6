// `tlssim trace --json` for one run, as the analysis streams: the summary's fields, then the event list
// under "events", byte for byte what JSON.stringify({ ...summary, events }, null, 2) prints, nested
// `depth` levels deep (2 inside {"runs":[…]}). The events are spooled as they come (the summary,
// printed first, is known only at the end), so neither list is ever held whole.
import type { AnalysisStream } from './analysis-stream.ts';
import { eventJson } from './event-list.ts';
import { TextSpool } from './text-spool.ts';

const pad = (depth: number) => ' '.repeat(2 * depth);

/**
 * JSON.stringify(value, null, 2) for a value printed `depth` levels deep: stringified inside `depth`
 * arrays, which indent it natively, and cut out of them (faster than re-indenting every line).
 */
function nested(value: unknown, depth: number): string {
  let wrapped = value;
  let head = 0;
  let tail = 0;
  for (let level = 0; level < depth; level++) {
    wrapped = [wrapped];
    head += 2 + 2 * (level + 1); // "[\n" and the element's indent
    tail += 2 + 2 * level; // "\n", the closing bracket's indent and "]"
  }
  const text = JSON.stringify(wrapped, null, 2);
  return text.slice(head, text.length - tail);
}

export interface SpooledRun {
  /** Writes the run's JSON object (no trailing newline), then lets go of the spool. */
  writeTo(out: (text: string) => void): void;
  dispose(): void;
}

/** Reads the whole stream, spooling its events; the summary is then known. */
export function spoolRunJson(stream: AnalysisStream, depth: number): SpooledRun {
  const events = new TextSpool();
  let count = 0;
  try {
    for (const item of stream.items()) {
      if (item.kind !== 'event') continue;
      const json = nested(eventJson(item.event, item.phase), depth + 2);
      events.write(`${count++ === 0 ? '' : ','}\n${pad(depth + 2)}${json}`);
    }
  } catch (error) {
    events.dispose();
    throw error;
  }
  const summary = nested(stream.summary, depth);
  // The summary object without its closing brace, then "events" as its last field.
  const open = summary.slice(0, summary.length - `\n${pad(depth)}}`.length);
  return {
    writeTo(out) {
      out(`${open},\n${pad(depth + 1)}"events": [`);
      if (count > 0) {
        events.drain(out);
        out(`\n${pad(depth + 1)}]`);
      } else {
        out(']');
      }
      out(`\n${pad(depth)}}`);
    },
    dispose: () => events.dispose(),
  };
}
