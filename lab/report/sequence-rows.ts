// The rows of a run's sequence diagram, in time order: each AT exchange across the UART (MCU ⇄ modem)
// from the trace, and each host-socket event across the network (modem ⇄ server) from the run's
// network.jsonl when it sits beside the trace. One clock: network times are moved onto the trace's
// (ms since startedEpochMs).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NetworkEvent } from '../../modem/capture/network-log-format.ts';
import type { TraceAnalysis } from '../trace/analysis-types.ts';
import { readNetworkLog } from '../trace/pcap/network-log-reader.ts';
import { RUN_FILES } from '../trace/pcap/run-capture-files.ts';
import { printableLine } from '../trace/text-preview.ts';

export type Lane = 'mcu' | 'modem' | 'server';
/** `upload` is an upload holding a private key (the alarm); one of certificates only is `certificate`. */
export type RowKind = 'at' | 'urc' | 'tls' | 'plaintext' | 'upload' | 'certificate' | 'mixed' | 'net';

export interface SequenceRow {
  /** ms since the trace started */
  t: number;
  from: Lane;
  to: Lane;
  kind: RowKind;
  label: string;
}

const clip = (text: string, max = 44) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function uartRows(analysis: TraceAnalysis): SequenceRow[] {
  const rows: SequenceRow[] = [];
  for (const event of analysis.events) {
    if (event.kind === 'command') {
      rows.push({ t: event.t, from: 'mcu', to: 'modem', kind: 'at', label: clip(printableLine(event.text)) });
    } else if (event.kind === 'line') {
      if (event.role === 'echo' || event.text.trim() === '') continue;
      const kind = event.role === 'urc' ? 'urc' : 'at';
      rows.push({
        t: event.t,
        from: 'modem',
        to: 'mcu',
        kind,
        label: clip(printableLine(event.text.trim())),
      });
    } else {
      const phase = analysis.phaseOf.get(event);
      const up = event.dir === 'tx';
      const key = phase?.secrets.some((s) => s.kind === 'private-key') ?? false;
      const publicUpload = phase?.category === 'upload' && !key;
      const what = phase
        ? phase.category === 'tls'
          ? 'TLS'
          : publicUpload
            ? 'upload, certificate (public)'
            : key
              ? 'upload, PRIVATE KEY'
              : phase.category
        : 'data';
      rows.push({
        t: event.t,
        from: up ? 'mcu' : 'modem',
        to: up ? 'modem' : 'mcu',
        kind: publicUpload ? 'certificate' : (phase?.category ?? 'mixed'),
        label: `${event.via} ${event.payload.length} B ${what}`,
      });
    }
  }
  return rows;
}

function networkRows(events: readonly NetworkEvent[], startedEpochMs: number): SequenceRow[] {
  const protocol = new Map<number, string>();
  const rows: SequenceRow[] = [];
  for (const event of events) {
    const t = event.t - startedEpochMs;
    if (event.ev === 'open') {
      const proto = event.proto.toUpperCase();
      protocol.set(event.conn, proto);
      const label = event.proto === 'tcp' ? `TCP connect ${event.remote ?? ''}` : `UDP socket ${event.local}`;
      rows.push({ t, from: 'modem', to: 'server', kind: 'net', label });
    } else if (event.ev === 'up' || event.ev === 'down') {
      const bytes = Buffer.from(event.data, 'base64').length;
      const up = event.ev === 'up';
      rows.push({
        t,
        from: up ? 'modem' : 'server',
        to: up ? 'server' : 'modem',
        kind: 'net',
        label: `${protocol.get(event.conn) ?? ''} ${bytes} B`,
      });
    } else if (event.ev === 'fin') {
      const up = event.dir === 'up';
      rows.push({ t, from: up ? 'modem' : 'server', to: up ? 'server' : 'modem', kind: 'net', label: 'FIN' });
    }
  }
  return rows;
}

/** The network events recorded beside the trace file (the run folder), if any. */
function networkBeside(analysis: TraceAnalysis): NetworkEvent[] {
  if (!analysis.file) return [];
  const file = join(dirname(analysis.file), RUN_FILES.networkLog);
  try {
    return existsSync(file) ? readNetworkLog(file) : [];
  } catch {
    return []; // a damaged network log costs the network lane, not the report
  }
}

export function sequenceRows(analysis: TraceAnalysis): SequenceRow[] {
  const start = analysis.header.startedEpochMs ?? Date.parse(analysis.header.started);
  const rows = [...uartRows(analysis), ...networkRows(networkBeside(analysis), start)];
  return rows.sort((a, b) => a.t - b.t);
}
