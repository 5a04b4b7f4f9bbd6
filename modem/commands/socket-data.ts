import { isIP } from 'node:net';
import { type CommandTable, INVALID_PARAMS } from '../at/command-table.ts';
import type { Params } from '../at/params.ts';
import { ParamError } from '../at/params.ts';
import { type AtResponse, ok } from '../at/response.ts';
import { isLoopback } from '../host/address.ts';
import type { ModemContext } from '../modem-context.ts';
import type { ModemSocket } from '../sockets/modem-socket.ts';
import { OPEN_ERROR } from '../sockets/open-service.ts';
import { MAX_SOCKET_ID } from '../sockets/socket-table.ts';
import type { Endpoint } from '../sockets/transport.ts';
import { MAX_READ, MAX_SEND, sendCounters, sendPhase, streamRead, transmit } from './send-data.ts';
import { SOCKET_ERROR, socketFailure } from './socket-errors.ts';

/** AT+QISENDEX takes at most 512 bytes as hex. */
const MAX_SENDEX = 512;

/** AT+QISEND (fixed length, Ctrl-Z, `,0` query, UDP SERVICE form), AT+QISENDEX, AT+QIRD. */
export function registerSocketDataCommands(table: CommandTable, ctx: ModemContext): void {
  const invalid = INVALID_PARAMS.tcpip;

  table.register(
    '+QISEND',
    {
      test: () => ok(`+QISEND: (0-${MAX_SOCKET_ID}),(0-${MAX_SEND})`),
      write: ({ params }) => send(ctx, params),
    },
    invalid,
  );

  table.register(
    '+QISENDEX',
    {
      test: () => ok(`+QISENDEX: (0-${MAX_SOCKET_ID}),<hex_string>`),
      write: async ({ params }) => {
        const id = params.expectCount(2).int(0, 0, MAX_SOCKET_ID);
        const hex = params.string(1);
        if (
          hex.length === 0 ||
          hex.length % 2 !== 0 ||
          hex.length > MAX_SENDEX * 2 ||
          !/^[0-9a-f]*$/i.test(hex)
        ) {
          throw new ParamError('bad hex string');
        }
        const socket = connectedQiSocket(ctx, id);
        if (!socket || socket.info.service === 'UDP SERVICE') return socketFailure(ctx, SOCKET_ERROR.closed);
        return transmit(ctx, socket, Buffer.from(hex, 'hex'));
      },
    },
    invalid,
  );

  table.register(
    '+QIRD',
    {
      test: () => ok(`+QIRD: (0-${MAX_SOCKET_ID}),(0-${MAX_READ})`),
      write: ({ params }) => read(ctx, params),
    },
    invalid,
  );
}

function connectedQiSocket(ctx: ModemContext, id: number): ModemSocket | undefined {
  const socket = ctx.sockets.get(id);
  return socket && socket.info.family === 'qi' && socket.connected ? socket : undefined;
}

function send(ctx: ModemContext, params: Params): AtResponse {
  params.expectCount(1, 4);
  if (params.count === 3) throw new ParamError('a UDP SERVICE destination needs address and port');
  const id = params.int(0, 0, MAX_SOCKET_ID);
  const length = params.has(1) ? params.int(1, 0, MAX_SEND) : undefined;
  const to: Endpoint | undefined =
    params.count === 4 ? { address: params.string(2), port: params.int(3, 1, 65535) } : undefined;

  const socket = ctx.sockets.get(id);
  if (length === 0) {
    // AT+QISEND=<id>,0: the counters Mbed OS reads before and after a send.
    if (socket?.info.family !== 'qi') return socketFailure(ctx, SOCKET_ERROR.closed);
    return sendCounters(socket, '+QISEND');
  }
  const live = connectedQiSocket(ctx, id);
  if (!live) return socketFailure(ctx, socket?.state === 1 ? SOCKET_ERROR.busy : SOCKET_ERROR.closed);
  const isService = live.info.service === 'UDP SERVICE';
  // A UDP SERVICE must name each destination; the other services must not.
  if (isService !== (to !== undefined)) return socketFailure(ctx, SOCKET_ERROR.invalidParams);
  // Only literal destinations: a name here would make the host resolve it behind the modem's back.
  if (to && !isIP(to.address)) return socketFailure(ctx, SOCKET_ERROR.invalidParams);
  if (to && !ctx.options.allowNonLoopback && !isLoopback(to.address)) {
    return socketFailure(ctx, OPEN_ERROR.blocked);
  }

  return sendPhase(ctx, live, length, to);
}

function read(ctx: ModemContext, params: Params): AtResponse {
  params.expectCount(1, 2);
  const id = params.int(0, 0, MAX_SOCKET_ID);
  const length = params.optInt(1, 0, MAX_READ, MAX_READ);
  const socket = ctx.sockets.get(id);
  if (!socket) return socketFailure(ctx, SOCKET_ERROR.closed);
  if (socket.info.family !== 'qi') return socketFailure(ctx, SOCKET_ERROR.notAllowed);
  if (length === 0) {
    // AT+QIRD=<id>,0: total received, already read, still unread.
    const { totalReceived, haveRead, unread } = socket.rx;
    return ok(`+QIRD: ${totalReceived},${haveRead},${unread}`);
  }
  if (socket.info.service === 'TCP') return streamRead(socket, '+QIRD', length);
  const datagram = socket.readDatagram(length);
  if (!datagram) return ok('+QIRD: 0');
  const head =
    socket.info.service === 'UDP SERVICE' && datagram.from
      ? `+QIRD: ${datagram.data.length},"${datagram.from.address}",${datagram.from.port}`
      : `+QIRD: ${datagram.data.length}`;
  return ok(head, datagram.data);
}
