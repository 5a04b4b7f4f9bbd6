// How long each TLS handshake took, as the UART saw it. In mbedtls mode the MCU's handshake is
// visible record by record: from its first handshake record to the last one before application data.
// In offload mode the modem runs it out of sight: from AT+QSSLOPEN to its +QSSLOPEN result.
import type { HandshakeTiming, TraceAnalysis } from './analysis-types.ts';
import { intParam } from './at-command.ts';
import type { Connection } from './connections.ts';

type Parts = Pick<TraceAnalysis, 'events' | 'phases' | 'connections'>;

export function handshakeTimings(analysis: Parts): HandshakeTiming[] {
  return [...recordHandshakes(analysis), ...modemHandshakes(analysis)].sort((a, b) => a.startMs - b.startMs);
}

function recordHandshakes({ phases, connections }: Parts): HandshakeTiming[] {
  const timings: HandshakeTiming[] = [];
  for (const connection of connections) {
    let start: number | undefined;
    let end = 0;
    let fatal = false;
    let done = false;
    let dtls = false;
    const finished = { tx: false, rx: false };
    for (const phase of phases) {
      if (phase.connection !== connection || done) continue;
      for (const part of phase.parts) {
        if (part.kind !== 'record' || done) continue;
        const { record } = part;
        dtls ||= record.protocol === 'DTLS';
        if (record.contentType === 22 || record.contentType === 20) {
          start ??= phase.event.t;
          end = phase.event.tEnd;
          if (record.contentType === 22 && record.encrypted) finished[record.dir] = true;
        } else if (record.contentType === 21 && record.alert?.startsWith('fatal')) {
          fatal = true;
          done = start !== undefined;
          end = phase.event.tEnd;
        } else if (record.contentType === 23 && start !== undefined) {
          done = true;
        }
      }
    }
    if (start === undefined) continue;
    timings.push({
      connection: connection.label,
      seenAs: dtls ? 'dtls-records' : 'tls-records',
      startMs: start,
      endMs: end,
      durationMs: round(end - start),
      ok: !fatal && finished.tx && finished.rx,
    });
  }
  return timings;
}

function modemHandshakes({ events, connections }: Parts): HandshakeTiming[] {
  const timings: HandshakeTiming[] = [];
  const used = new Set<Connection>();
  events.forEach((event, i) => {
    if (event.kind !== 'command' || event.command?.name !== 'AT+QSSLOPEN' || event.command.form !== 'write')
      return;
    const id = intParam(event.command.params, 2);
    const result = events
      .slice(i + 1)
      .find((e) => e.kind === 'line' && e.role === 'urc' && e.text.startsWith(`+QSSLOPEN: ${id},`));
    if (result?.kind !== 'line') return;
    const connection = connections.find((c) => c.channel === 'ssl' && c.socketId === id && !used.has(c));
    if (connection) used.add(connection);
    timings.push({
      connection: connection?.label ?? `ssl ${id}`,
      seenAs: 'qsslopen',
      startMs: event.t,
      endMs: result.t,
      durationMs: round(result.t - event.t),
      ok: /,0$/.test(result.text),
    });
  });
  return timings;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
