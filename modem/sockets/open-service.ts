import { isLoopback } from '../host/address.ts';
import type { ModemContext } from '../modem-context.ts';
import type { ModemSocket } from './modem-socket.ts';
import { OpenFailure, type Transport } from './transport.ts';

/** Result codes of an open, as `+QIOPEN: <id>,<err>` / `+QSSLOPEN: <id>,<err>` report them. */
export const OPEN_ERROR = {
  unknown: 550,
  blocked: 551,
  pdpNotActive: 561,
  identityUsed: 563,
} as const;

/**
 * The background half of AT+QIOPEN / AT+QSSLOPEN, after the OK: resolve the host, refuse non-loopback
 * targets unless allowed, open the host transport, and report `<urcName>: <id>,<err>`. On failure the
 * id is free again.
 */
export async function openInBackground(
  ctx: ModemContext,
  socket: ModemSocket,
  urcName: string,
  open: (address: string) => Promise<Transport>,
): Promise<void> {
  const { id, remoteHost } = socket.info;
  const fail = (code: number, reason: string) => {
    ctx.log.warn(`socket ${id}: open failed (${code}): ${reason}`);
    ctx.sockets.remove(socket);
    ctx.state.lastSocketError = code;
    ctx.urc(`${urcName}: ${id},${code}`);
  };
  try {
    const resolution = await ctx.resolver.resolve(remoteHost);
    if (!resolution.ok) return fail(resolution.code, resolution.reason);
    const address = resolution.addresses[0];
    if (!ctx.options.allowNonLoopback && !isLoopback(address)) {
      return fail(OPEN_ERROR.blocked, `${address} is not a loopback address (allowNonLoopback is off)`);
    }
    const transport = await open(address);
    if (ctx.sockets.get(id) !== socket) {
      // Closed (AT+QICLOSE, context loss) while the open was in flight.
      transport.destroy();
      return;
    }
    socket.attach(transport);
    ctx.state.lastSocketError = 0;
    ctx.log.info(
      `socket ${id}: ${socket.info.service} connected to ${address}:${socket.info.remotePort}${transport.description ? ` (${transport.description})` : ''}`,
    );
    ctx.urc(`${urcName}: ${id},0`);
    socket.announce();
  } catch (err) {
    if (ctx.sockets.get(id) !== socket) return;
    if (err instanceof OpenFailure) fail(err.code, err.message);
    else fail(OPEN_ERROR.unknown, String(err));
  }
}
