// uart.jsonl (docs/architecture.md, "The UART trace"): a header line, then one line per chunk that crossed the UART.
export const TRACE_FORMAT = 'tlssim-uart-trace';
export const TRACE_VERSION = 1;

/** tx = MCU to modem, rx = modem to MCU. */
export type TraceDirection = 'tx' | 'rx';

export interface TraceHeader {
  format: typeof TRACE_FORMAT;
  version: number;
  baud: number;
  frame: string;
  mode?: string;
  scenario?: string;
  started: string;
}

export interface TraceChunk {
  /** milliseconds since the start of the trace */
  t: number;
  dir: TraceDirection;
  data: Uint8Array;
}
