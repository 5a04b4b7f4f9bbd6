import { type AtResponse, dataPhase, finalResult } from '../at/response.ts';
import type { ModemContext } from '../modem-context.ts';
import type { ModemSocket } from '../sockets/modem-socket.ts';
import type { Endpoint } from '../sockets/transport.ts';
import { SOCKET_ERROR, socketFailure } from './socket-errors.ts';

/** BG96 limits: one QISEND/QSSLSEND carries at most 1460 bytes, one QIRD/QSSLRECV returns at most 1500. */
export const MAX_SEND = 1460;
export const MAX_READ = 1500;
/** The data prompt of QISEND and QSSLSEND: CRLF, `>`, space, and no line end (the MCU now sends data). */
export const SEND_PROMPT = '\r\n> ';
/** Socket write failed (`AT+QIGETERROR` after a SEND FAIL on a broken connection). */
const WRITE_FAILED = 558;

/**
 * The data phase of QISEND/QSSLSEND: `length` bytes, or (undefined) up to Ctrl-Z with ESC to cancel.
 * It ends with SEND OK / SEND FAIL, or an error when it times out (569), is cancelled (571), overflows
 * (552) or the connection went away meanwhile (567).
 */
export function sendPhase(ctx: ModemContext, socket: ModemSocket, length: number | undefined, to?: Endpoint) {
  const common = {
    prompt: SEND_PROMPT,
    idleTimeoutMs: ctx.options.sendDataTimeoutMs,
    complete: (data: Buffer) => transmit(ctx, socket, data, to),
    timedOut: () => socketFailure(ctx, SOCKET_ERROR.timeout),
  };
  if (length !== undefined) return dataPhase({ ...common, length });
  return dataPhase({
    ...common,
    ctrlZ: { max: MAX_SEND },
    cancelled: () => socketFailure(ctx, SOCKET_ERROR.cancelSend),
    overflowed: () => socketFailure(ctx, SOCKET_ERROR.invalidParams),
  });
}

export async function transmit(
  ctx: ModemContext,
  socket: ModemSocket,
  data: Buffer,
  to?: Endpoint,
): Promise<AtResponse> {
  // The peer may have gone while the data phase was open.
  if (!socket.connected || ctx.sockets.get(socket.info.id) !== socket) {
    return socketFailure(ctx, SOCKET_ERROR.closed);
  }
  try {
    const accepted = await socket.send(data, to);
    ctx.state.lastSocketError = 0;
    return finalResult(accepted ? 'SEND OK' : 'SEND FAIL');
  } catch (err) {
    ctx.log.warn(`socket ${socket.info.id}: send failed: ${String(err)}`);
    ctx.state.lastSocketError = WRITE_FAILED;
    return finalResult('SEND FAIL');
  }
}

/** `<prefix>: <n>` then the bytes, or `<prefix>: 0` alone: the stream read of QIRD and QSSLRECV. */
export function streamRead(socket: ModemSocket, prefix: string, length: number): AtResponse {
  const data = socket.readStream(length);
  return data.length === 0
    ? { kind: 'ok', lines: [`${prefix}: 0`] }
    : { kind: 'ok', lines: [`${prefix}: ${data.length}`, data] };
}

/** `<prefix>: <total_send>,<acked>,<unacked>`: the counters of QISEND=<id>,0. */
export function sendCounters(socket: ModemSocket, prefix: string): AtResponse {
  const unacked = socket.unacked;
  return { kind: 'ok', lines: [`${prefix}: ${socket.totalSent},${socket.totalSent - unacked},${unacked}`] };
}
