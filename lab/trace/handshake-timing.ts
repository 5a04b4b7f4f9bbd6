// How long each TLS handshake took, as the UART saw it. In mbedtls mode the MCU's handshake is
// visible record by record: from its first handshake record to the last one before application data.
// In offload mode the modem runs it out of sight: from AT+QSSLOPEN to its +QSSLOPEN result.
// Fed the events and phases in time order; a connection's timing is known once it has been replaced
// (it gets no more bytes) or the trace has ended.
import type { DataPhaseAnalysis, HandshakeTiming } from './analysis-types.ts';
import { intParam } from './at-command.ts';
import type { AtEvent, CommandEvent } from './at-events.ts';
import type { Connection } from './connections.ts';

/** What one connection's records have shown so far. */
interface RecordClock {
  /** The how-manieth connection: record timings of one instant are listed in this order. */
  index: number;
  start?: number;
  end: number;
  fatal: boolean;
  done: boolean;
  dtls: boolean;
  finished: { tx: boolean; rx: boolean };
}

interface Timed {
  timing: HandshakeTiming;
  /** Record timings (0) come before the modem's (1) at the same start, each in their own order. */
  group: 0 | 1;
  order: number;
}

export class HandshakeTimings {
  private readonly clocks = new Map<Connection, RecordClock>();
  private readonly timed: Timed[] = [];
  private connectionsSeen = 0;
  /** Modem TLS connections no QSSLOPEN timing has been given yet, by socket id, oldest first. */
  private readonly unclaimed = new Map<number, string[]>();
  /** AT+QSSLOPEN commands still waiting for their +QSSLOPEN result, oldest first. */
  private readonly awaiting: Array<{ event: CommandEvent; id: number | undefined; order: number }> = [];
  private commands = 0;

  /** A connection is made (in the order they are made). */
  opened(connection: Connection): void {
    this.clocks.set(connection, {
      index: this.connectionsSeen++,
      end: 0,
      fatal: false,
      done: false,
      dtls: false,
      finished: { tx: false, rx: false },
    });
    if (connection.channel === 'ssl') {
      const labels = this.unclaimed.get(connection.socketId) ?? [];
      labels.push(connection.label);
      this.unclaimed.set(connection.socketId, labels);
    }
  }

  /** The events in time order: AT+QSSLOPEN and the URC that gives its result. */
  onEvent(event: AtEvent): void {
    if (event.kind === 'command' && event.command?.name === 'AT+QSSLOPEN' && event.command.form === 'write') {
      this.awaiting.push({ event, id: intParam(event.command.params, 2), order: this.commands++ });
      return;
    }
    if (event.kind !== 'line' || event.role !== 'urc' || this.awaiting.length === 0) return;
    for (let i = 0; i < this.awaiting.length; ) {
      const { event: command, id, order } = this.awaiting[i];
      if (!event.text.startsWith(`+QSSLOPEN: ${id},`)) {
        i++;
        continue;
      }
      this.awaiting.splice(i, 1);
      const label = id === undefined ? undefined : this.unclaimed.get(id)?.shift();
      this.timed.push({
        timing: {
          connection: label ?? `ssl ${id}`,
          seenAs: 'qsslopen',
          startMs: command.t,
          endMs: event.t,
          durationMs: round(event.t - command.t),
          ok: /,0$/.test(event.text),
        },
        group: 1,
        order,
      });
    }
  }

  /** A data phase, in time order, once what its records say is final. */
  onPhase(phase: DataPhaseAnalysis): void {
    const clock = phase.connection && this.clocks.get(phase.connection);
    if (!clock || clock.done) return;
    for (const part of phase.parts) {
      if (part.kind !== 'record' || clock.done) continue;
      const { record } = part;
      clock.dtls ||= record.protocol === 'DTLS';
      if (record.contentType === 22 || record.contentType === 20) {
        clock.start ??= phase.event.t;
        clock.end = phase.event.tEnd;
        if (record.contentType === 22 && record.encrypted) clock.finished[record.dir] = true;
      } else if (record.contentType === 21 && record.alert?.startsWith('fatal')) {
        clock.fatal = true;
        clock.done = clock.start !== undefined;
        clock.end = phase.event.tEnd;
      } else if (record.contentType === 23 && clock.start !== undefined) {
        clock.done = true;
      }
    }
  }

  /** The connection's phases have all been seen: its record timing, if it had a handshake, is known. */
  closed(connection: Connection): void {
    const clock = this.clocks.get(connection);
    if (!clock) return;
    this.clocks.delete(connection);
    if (clock.start === undefined) return;
    this.timed.push({
      timing: {
        connection: connection.label,
        seenAs: clock.dtls ? 'dtls-records' : 'tls-records',
        startMs: clock.start,
        endMs: clock.end,
        durationMs: round(clock.end - clock.start),
        ok: !clock.fatal && clock.finished.tx && clock.finished.rx,
      },
      group: 0,
      order: clock.index,
    });
  }

  /** Every handshake, by start time (the trace has ended). */
  all(): HandshakeTiming[] {
    for (const connection of [...this.clocks.keys()]) this.closed(connection);
    return this.timed
      .sort((a, b) => a.timing.startMs - b.timing.startMs || a.group - b.group || a.order - b.order)
      .map((t) => t.timing);
  }
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
