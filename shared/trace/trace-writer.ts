// Appends UART chunks to a uart.jsonl file as they cross the wire. Times start at the first line: the
// header is written with the first chunk or fault mark (or at close, for a trace that saw nothing), so
// the first chunk's `t` is 0 and `startedEpochMs` is that chunk's wall-clock time, not the moment the
// runner opened the file seconds before the MCU process was up. Readers need no change: `t` was always
// ms since the header's start (docs/architecture.md, "The UART trace").
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { type Clock, realClock } from '../clock.ts';
import {
  TRACE_FORMAT,
  TRACE_VERSION,
  type TraceDirection,
  type TraceHeader,
  type UartFaultKind,
} from './trace-format.ts';

/**
 * The date simulated runs are stamped with: simulated time has no calendar, so a simulated run starts
 * here (in the trace header and the modem's network.jsonl alike), and two runs give the same trace.
 */
export const SIMULATED_EPOCH_MS = Date.UTC(2026, 0, 1);

export class TraceWriter {
  private readonly out: WriteStream;
  /** clock.now() of t = 0, set when the first line is written */
  private startedAt?: number;

  constructor(
    path: string,
    private readonly header: Omit<TraceHeader, 'format' | 'version' | 'started' | 'startedEpochMs'>,
    /** the run's clock: real time, or its simulated clock (then the header says clock "simulated") */
    private readonly clock: Clock = realClock,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.out = createWriteStream(path);
  }

  private start(): number {
    if (this.startedAt !== undefined) return this.startedAt;
    const startedAt = this.clock.now();
    this.startedAt = startedAt;
    const epochMs =
      this.header.clock === 'simulated' ? SIMULATED_EPOCH_MS + startedAt : performance.timeOrigin + startedAt;
    const full: TraceHeader = {
      format: TRACE_FORMAT,
      version: TRACE_VERSION,
      ...this.header,
      started: new Date(epochMs).toISOString(),
      startedEpochMs: Math.round(epochMs * 1000) / 1000,
    };
    this.out.write(`${JSON.stringify(full)}\n`);
    return startedAt;
  }

  record(dir: TraceDirection, bytes: Uint8Array): void {
    const t = this.now();
    this.out.write(`{"t":${t},"dir":"${dir}","data":"${Buffer.from(bytes).toString('base64')}"}\n`);
  }

  /** A fault mark (trace-format.ts, TraceFault): what the wire did at `offset` of dir's delivered bytes. */
  recordFault(
    dir: TraceDirection,
    fault: UartFaultKind,
    offset: number,
    detail: Record<string, number>,
  ): void {
    const line = { t: this.now(), dir, fault, offset, detail };
    this.out.write(`${JSON.stringify(line)}\n`);
  }

  private now(): number {
    if (this.startedAt === undefined) {
      this.start();
      return 0;
    }
    return Math.round((this.clock.now() - this.startedAt) * 1000) / 1000;
  }

  close(): Promise<void> {
    this.start();
    return new Promise((resolve) => this.out.end(resolve));
  }
}
