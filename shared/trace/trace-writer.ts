// Appends UART chunks to a uart.jsonl file as they cross the wire.
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
  private readonly startedAt = performance.now();

  constructor(path: string, header: Omit<TraceHeader, 'format' | 'version' | 'started' | 'startedEpochMs'>) {
    mkdirSync(dirname(path), { recursive: true });
    this.out = createWriteStream(path);
    const full: TraceHeader = {
      format: TRACE_FORMAT,
      version: TRACE_VERSION,
      ...header,
      started: new Date().toISOString(),
      startedEpochMs: Math.round((performance.timeOrigin + this.startedAt) * 1000) / 1000,
    };
    this.out.write(`${JSON.stringify(full)}\n`);
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
    return Math.round((performance.now() - this.startedAt) * 1000) / 1000;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.out.end(resolve));
  }
}
