// `tlssim trace --json` for one run, as the analysis streams: the summary's fields, then the event list
// under "events", byte for byte what JSON.stringify({ ...summary, events }, null, 2) prints, nested
// `depth` levels deep (2 inside {"runs":[…]}). The events are spooled as they come (the summary,
// printed first, is known only at the end), so neither list is ever held whole.
import type { AnalysisStream } from './analysis-stream.ts';
import { eventJson } from './event-list.ts';
import { TextSpool } from './text-spool.ts';

const pad = (depth: number) => ' '.repeat(2 * depth);

/** JSON.stringify(value, null, 2) for a value printed `depth` levels deep. */
function nested(value: unknown, depth: number): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${pad(depth)}`);
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
