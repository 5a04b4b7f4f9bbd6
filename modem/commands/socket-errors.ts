import { type AtResponse, cmeError } from '../at/response.ts';
import type { ModemContext } from '../modem-context.ts';

/** Quectel TCP/IP result codes the QI* commands answer with (chapter 4 of the TCP/IP manual). */
export const SOCKET_ERROR = {
  invalidParams: 552,
  notSupported: 555,
  closed: 567,
  busy: 568,
  timeout: 569,
  cancelSend: 571,
  notAllowed: 572,
} as const;

/** A QI* failure: remembered for AT+QIGETERROR and answered as `+CME ERROR: <code>` (per AT+CMEE). */
export function socketFailure(ctx: ModemContext, code: number): AtResponse {
  ctx.state.lastSocketError = code;
  return cmeError(code);
}
