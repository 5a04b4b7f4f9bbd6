// Appends UART chunks to a uart.jsonl file as they cross the wire. Times start at the first line: the
// header is written with the first chunk or fault mark (or at close, for a trace that saw nothing), so
// the first chunk's `t` is 0 and `startedEpochMs` is that chunk's wall-clock time, not the moment the
// runner opened the file seconds before the MCU process was up. Readers need no change: `t` was always
// ms since the header's start (docs/architecture.md, "The UART trace").
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import {
  TRACE_FORMAT,
  TRACE_VERSION,
  type TraceDirection,
  type TraceHeader,
  type UartFaultKind,
} from './trace-format.ts';

export class TraceWriter {
  private readonly out: WriteStream;
  /** performance.now() of t = 0, set when the first line is written */
  private startedAt?: number;

  constructor(
    path: string,
    private readonly header: Omit<TraceHeader, 'format' | 'version' | 'started' | 'startedEpochMs'>,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.out = createWriteStream(path);
  }

  private start(): number {
    if (this.startedAt !== undefined) return this.startedAt;
    const startedAt = performance.now();
    this.startedAt = startedAt;
    const epochMs = performance.timeOrigin + startedAt;
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
    return Math.round((performance.now() - this.startedAt) * 1000) / 1000;
  }

  close(): Promise<void> {
    this.start();
    return new Promise((resolve) => this.out.end(resolve));
  }
}
