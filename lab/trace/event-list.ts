// The transcript's events as plain JSON for `tlssim trace --json` (the summary alone answers "how
// much", a tool asking "what happened when" needs the events): commands with their latency and result,
// response lines and URCs with their role, data phases with their connection and what they carried.
import type { DataPhaseAnalysis, TraceAnalysis } from './analysis-types.ts';
import type { AtEvent } from './at-events.ts';
import { printableLine } from './text-preview.ts';
import { phaseVerdict } from './transcript.ts';

export type TraceEventJson =
  | {
      t: number;
      dir: 'tx';
      kind: 'command';
      text: string;
      name?: string;
      /** ms from the command's first byte to its final result */
      latencyMs?: number;
      result?: string;
    }
  | { t: number; dir: 'rx'; kind: 'line'; role: string; text: string; urc?: string }
  | {
      t: number;
      tEnd: number;
      dir: 'tx' | 'rx';
      kind: 'data';
      via: string;
      bytes: number;
      connection?: string;
      file?: string;
      category?: string;
      verdict?: string;
      secrets?: string[];
    };

const ms = (x: number) => Math.round(x * 1000) / 1000;

export function traceEvents(analysis: TraceAnalysis): TraceEventJson[] {
  return analysis.events.map((event) =>
    eventJson(event, event.kind === 'data' ? analysis.phaseOf.get(event) : undefined),
  );
}

/** One event as plain JSON; a data phase with its analysis. */
export function eventJson(event: AtEvent, phase: DataPhaseAnalysis | undefined): TraceEventJson {
  if (event.kind === 'command') {
    return {
      t: event.t,
      dir: 'tx',
      kind: 'command',
      text: printableLine(event.text),
      ...(event.command ? { name: event.command.name } : {}),
      ...(event.answeredAt !== undefined
        ? { latencyMs: ms(event.answeredAt - event.t), result: (event.resultText ?? '').trim() }
        : {}),
    };
  }
  if (event.kind === 'line') {
    return {
      t: event.t,
      dir: 'rx',
      kind: 'line',
      role: event.role,
      text: printableLine(event.text),
      ...(event.urc ? { urc: event.urc } : {}),
    };
  }
  return {
    t: event.t,
    tEnd: event.tEnd,
    dir: event.dir,
    kind: 'data',
    via: event.via,
    bytes: event.payload.length,
    ...(phase?.connection ? { connection: phase.connection.label } : {}),
    ...(event.file ? { file: event.file } : {}),
    ...(phase ? { category: phase.category, verdict: phaseVerdict(phase) } : {}),
    ...(phase?.secrets.length ? { secrets: phase.secrets.map((s) => `${s.kind}: ${s.label}`) } : {}),
  };
}
