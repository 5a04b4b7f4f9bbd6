// uart.jsonl (docs/architecture.md, "The UART trace"): a header line, then one line per chunk that crossed
// the UART, and, when the wire injected faults, one line per fault at the moment the line reached it.
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
  /**
   * The start as wall-clock milliseconds with microsecond resolution (performance.timeOrigin +
   * performance.now()): chunk `t` + this is the time base the modem's network.jsonl uses, so a capture
   * lines UART and network packets up. Older traces lack it; readers fall back to `started`.
   */
  startedEpochMs?: number;
  /**
   * "simulated": `t` is simulated time and the start is SIMULATED_EPOCH_MS plus the simulated time of the
   * first line (docs/simulated-time.md); "wall" or absent: host time.
   */
  clock?: 'simulated' | 'wall';
  /** the wire's UART fault spec, when it injected faults (lab/faults/uart-fault-spec.ts) */
  uartFaults?: unknown;
}

export interface TraceChunk {
  /** milliseconds since the start of the trace */
  t: number;
  dir: TraceDirection;
  data: Uint8Array;
}

/** What the wire did to the bytes (lab/faults/uart-fault-spec.ts says what each looks like). */
export type UartFaultKind = 'bit-flip' | 'drop' | 'noise' | 'stall' | 'break';

/**
 * A fault mark: `{"t":…,"dir":"rx","fault":"bit-flip","offset":1234,"detail":{"sent":79,"mask":4}}`.
 * `offset` indexes the direction's delivered bytes (all its chunks' data, concatenated), so a mark finds
 * its byte whatever the chunking:
 * * bit-flip: the corrupted byte; detail `sent` (the byte the sender sent), `mask` (the bits inverted)
 * * drop: where the lost byte would have been (the next delivered byte's offset); detail `sent`
 * * noise: the inserted byte; detail `byte`
 * * stall: the first byte held; detail `ms`
 * * break: the 0x00 the receiver read; detail `ms`, `lost` (the sender's bytes lost under the break)
 * A line that is neither a chunk nor a mark of a known kind is skipped by readers, so marks of a newer
 * kind do not break an older reader of this version.
 */
export interface TraceFault {
  t: number;
  dir: TraceDirection;
  fault: UartFaultKind;
  offset: number;
  detail: Record<string, number>;
}

export const UART_FAULT_KINDS: readonly UartFaultKind[] = ['bit-flip', 'drop', 'noise', 'stall', 'break'];

export function isUartFaultKind(value: unknown): value is UartFaultKind {
  return typeof value === 'string' && (UART_FAULT_KINDS as readonly string[]).includes(value);
}
