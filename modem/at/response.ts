/**
 * A command's response as a value (the Renode AtCommandModem shape): handlers return one of these and
 * the engine turns it into bytes, so no handler ever writes to the UART itself.
 */

/** One line of a response body: text, or raw bytes (a QIRD payload) written exactly as they are. */
export type ResponseLine = string | Uint8Array;

/** A data phase: after `prompt` the engine hands raw UART bytes to `complete` instead of parsing lines. */
export interface DataPhase {
  /** Written before the data, e.g. `\r\n> ` (QISEND) or `\r\nCONNECT\r\n` (QFUPL). */
  readonly prompt: string;
  /** Fixed-length phase: exactly this many bytes. Mutually exclusive with `ctrlZ`. */
  readonly length?: number;
  /** Ctrl-Z (0x1A) terminated phase with ESC (0x1B) to cancel; more than `max` bytes is an error. */
  readonly ctrlZ?: { readonly max: number };
  /** The phase ends with `timedOut()` when no byte arrives for this long. */
  readonly idleTimeoutMs: number;
  /** QFUPL ackmode 1: write `A` after every this many bytes received. */
  readonly ackEvery?: number;
  complete(data: Buffer): AtResponse | Promise<AtResponse>;
  timedOut(received: number): AtResponse;
  /** ESC in a Ctrl-Z phase. */
  cancelled?(): AtResponse;
  /** More than `ctrlZ.max` bytes before the Ctrl-Z. */
  overflowed?(): AtResponse;
}

export type AtResponse =
  /** Info lines (maybe none), then `OK`. */
  | { readonly kind: 'ok'; readonly lines: readonly ResponseLine[] }
  /** Info lines, then a final line other than OK: `SEND OK`, `SEND FAIL`. */
  | { readonly kind: 'final'; readonly lines: readonly ResponseLine[]; readonly result: string }
  /** Plain `ERROR` whatever AT+CMEE says (unknown command, bad syntax). */
  | { readonly kind: 'error' }
  /** `+CME ERROR: <code>` (or its text, or plain ERROR) as AT+CMEE says. */
  | { readonly kind: 'cme'; readonly code: number }
  | { readonly kind: 'data'; readonly phase: DataPhase };

export const ok = (...lines: ResponseLine[]): AtResponse => ({ kind: 'ok', lines });
export const finalResult = (result: string, ...lines: ResponseLine[]): AtResponse => ({
  kind: 'final',
  lines,
  result,
});
export const error = (): AtResponse => ({ kind: 'error' });
export const cmeError = (code: number): AtResponse => ({ kind: 'cme', code });
export const dataPhase = (phase: DataPhase): AtResponse => ({ kind: 'data', phase });
