// Where a given text crossed the UART readable: in the clear bytes of a data phase (plaintext on a
// socket, an uploaded file), never in AT framing or inside TLS records. What the demo and the
// runner ask ("was the message visible?"). Bytes are searched per connection and direction, so text
// split over two sends is still found.
import type { DataPhaseAnalysis, TraceAnalysis } from './analysis-types.ts';

export interface ClearSighting {
  phase: DataPhaseAnalysis;
  t: number;
}

export function findInClear(analysis: TraceAnalysis, text: string | Uint8Array): ClearSighting[] {
  const needle = typeof text === 'string' ? Buffer.from(text) : Buffer.from(text);
  if (needle.length === 0) return [];
  const streams = new Map<string, Array<{ phase: DataPhaseAnalysis; clear: Buffer }>>();
  for (const phase of analysis.phases) {
    const { event } = phase;
    const clear = Buffer.concat(
      phase.parts
        .filter((p) => p.kind === 'clear')
        .map((p) => event.payload.subarray(p.offset, p.offset + p.length)),
    );
    if (clear.length === 0) continue;
    // Each upload is a file of its own; socket bytes run on per connection and direction.
    const key = event.via === 'QFUPL' ? `file ${event.t}` : `${phase.connection?.key ?? '?'} ${event.dir}`;
    const list = streams.get(key) ?? [];
    list.push({ phase, clear });
    streams.set(key, list);
  }
  const found: ClearSighting[] = [];
  for (const list of streams.values()) {
    const all = Buffer.concat(list.map((item) => item.clear));
    for (let at = all.indexOf(needle); at >= 0; at = all.indexOf(needle, at + 1)) {
      let start = 0;
      for (const item of list) {
        if (at < start + item.clear.length) {
          found.push({ phase: item.phase, t: item.phase.event.t });
          break;
        }
        start += item.clear.length;
      }
    }
  }
  return found.sort((a, b) => a.t - b.t);
}
