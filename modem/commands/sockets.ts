import { cmeText } from '../at/cme-errors.ts';
import { type CommandTable, INVALID_PARAMS } from '../at/command-table.ts';
import type { Params } from '../at/params.ts';
import { ParamError } from '../at/params.ts';
import { ok } from '../at/response.ts';
import { openTcp } from '../host/tcp-transport.ts';
import { UdpTransport } from '../host/udp-transport.ts';
import type { ModemContext } from '../modem-context.ts';
import { type AccessMode, ModemSocket, type ServiceType } from '../sockets/modem-socket.ts';
import { OPEN_ERROR, openInBackground } from '../sockets/open-service.ts';
import { MAX_SOCKET_ID } from '../sockets/socket-table.ts';
import { MAX_CONTEXT_ID } from './pdp.ts';
import { SOCKET_ERROR, socketFailure } from './socket-errors.ts';

const SERVICE_TYPES: readonly string[] = ['TCP', 'UDP', 'TCP LISTENER', 'UDP SERVICE'];
/** AT+QICLOSE's default <timeout>, in seconds. */
const DEFAULT_CLOSE_TIMEOUT_S = 10;

/** AT+QIOPEN, AT+QICLOSE, AT+QISTATE, AT+QIGETERROR: the socket lifecycle (data is socket-data.ts). */
export function registerSocketCommands(table: CommandTable, ctx: ModemContext): void {
  const invalid = INVALID_PARAMS.tcpip;

  table.register(
    '+QIOPEN',
    {
      test: () =>
        ok(
          `+QIOPEN: (1-${MAX_CONTEXT_ID}),(0-${MAX_SOCKET_ID}),"TCP/UDP/TCP LISTENER/UDP SERVICE",` +
            '"<IP_address>/<domain_name>",<remote_port>,<local_port>,(0-2)',
        ),
      write: ({ params }) => openSocket(ctx, params),
    },
    invalid,
  );

  table.register(
    '+QICLOSE',
    {
      test: () => ok(`+QICLOSE: (0-${MAX_SOCKET_ID}),(0-65535)`),
      write: async ({ params }) => {
        const id = params.expectCount(1, 2).int(0, 0, MAX_SOCKET_ID);
        const timeoutS = params.optInt(1, 0, 65535, DEFAULT_CLOSE_TIMEOUT_S);
        const socket = ctx.sockets.get(id);
        // Closing an id that is not open is harmless and answered OK (drivers sweep ids at boot).
        if (!socket) return ok();
        ctx.sockets.remove(socket);
        await socket.close(timeoutS * 1000);
        ctx.log.info(`socket ${id}: closed by host`);
        return ok();
      },
    },
    invalid,
  );

  table.register(
    '+QISTATE',
    {
      test: () => ok('+QISTATE: (0,1),<contextID>/<connectID>'),
      read: () => ok(...stateLines(ctx, () => true)),
      exec: () => ok(...stateLines(ctx, () => true)),
      write: ({ params }) => {
        const queryType = params.expectCount(2).int(0, 0, 1);
        if (queryType === 0) {
          const contextId = params.int(1, 1, MAX_CONTEXT_ID);
          return ok(...stateLines(ctx, (s) => s.info.contextId === contextId));
        }
        const id = params.int(1, 0, MAX_SOCKET_ID);
        return ok(...stateLines(ctx, (s) => s.info.id === id));
      },
    },
    invalid,
  );

  table.register('+QIGETERROR', {
    test: () => ok(),
    exec: () => {
      const code = ctx.state.lastSocketError;
      return ok(`+QIGETERROR: ${code},${code === 0 ? 'Operation successful' : cmeText(code)}`);
    },
  });
}

function openSocket(ctx: ModemContext, params: Params) {
  params.expectCount(5, 7);
  const contextId = params.int(0, 1, MAX_CONTEXT_ID);
  const id = params.int(1, 0, MAX_SOCKET_ID);
  const service = params.string(2).toUpperCase();
  const remoteHost = params.string(3);
  const remotePort = params.int(4, 0, 65535);
  const localPort = params.optInt(5, 0, 65535, 0);
  const accessMode = params.optInt(6, 0, 2, 0);
  if (!SERVICE_TYPES.includes(service)) throw new ParamError(`unknown service type ${service}`);
  if (service === 'TCP LISTENER' || accessMode === 2) {
    // Servers and transparent mode are outside what tlssim simulates.
    return socketFailure(ctx, SOCKET_ERROR.notSupported);
  }
  if (service !== 'UDP SERVICE' && (remotePort === 0 || remoteHost === '')) {
    throw new ParamError('a client needs a host and a non-zero port');
  }

  const existing = ctx.sockets.get(id);
  // The open's outcome is a URC, even for the checks the modem can make at once (as on a BG96).
  if (existing) {
    ctx.state.lastSocketError = OPEN_ERROR.identityUsed;
    ctx.urc(`+QIOPEN: ${id},${OPEN_ERROR.identityUsed}`);
    return ok();
  }
  if (!ctx.state.context(contextId).active) {
    ctx.state.lastSocketError = OPEN_ERROR.pdpNotActive;
    ctx.urc(`+QIOPEN: ${id},${OPEN_ERROR.pdpNotActive}`);
    return ok();
  }

  const socket = new ModemSocket(
    {
      id,
      family: 'qi',
      contextId,
      service: service as ServiceType,
      remoteHost,
      remotePort,
      localPort,
      accessMode: accessMode as AccessMode,
    },
    {
      urc: (...lines) => ctx.urc(...lines),
      log: ctx.log,
      closedPolicy: ctx.options.closedUrc,
      finished: (s) => ctx.socketFinished(s),
    },
  );
  ctx.sockets.add(socket);
  const bindPort = ctx.options.bindLocalPorts ? localPort : 0;
  const loopbackOnly = !ctx.options.allowNonLoopback;

  if (service === 'UDP SERVICE') {
    // The address of a UDP SERVICE is where it listens, not a peer: nothing to resolve.
    const serviceLink = ctx.linkFor(`udp-service-${id}`, false);
    void UdpTransport.open({ localPort: bindPort, loopbackOnly, link: serviceLink }, socket).then(
      (transport) => {
        if (ctx.sockets.get(id) !== socket) return transport.destroy();
        socket.attach(transport);
        ctx.urc(`+QIOPEN: ${id},0`);
        socket.announce();
      },
      (err: { code?: number; message?: string }) => {
        ctx.sockets.remove(socket);
        const code = typeof err.code === 'number' ? err.code : OPEN_ERROR.unknown;
        ctx.state.lastSocketError = code;
        ctx.urc(`+QIOPEN: ${id},${code}`);
      },
    );
    return ok();
  }

  void openInBackground(ctx, socket, '+QIOPEN', (address) =>
    service === 'TCP'
      ? openTcp(
          {
            address,
            port: remotePort,
            localPort: bindPort || undefined,
            timeoutMs: ctx.options.connectTimeoutMs,
            clock: ctx.options.clock,
            link: ctx.linkFor(`tcp-${id}`, true),
          },
          socket,
        )
      : UdpTransport.open(
          {
            peer: { address, port: remotePort },
            localPort: bindPort,
            loopbackOnly,
            link: ctx.linkFor(`udp-${id}`, false),
          },
          socket,
        ),
  );
  return ok();
}

/** `+QISTATE: <id>,"<service>","<IP>",<rport>,<lport>,<state>,<ctx>,<serverID>,<access>,"<AT port>"`. */
function stateLines(ctx: ModemContext, select: (socket: ModemSocket) => boolean): string[] {
  return ctx.sockets
    .all()
    .filter((socket) => socket.info.family === 'qi' && select(socket))
    .map((socket) => {
      const { id, service, remoteHost, remotePort, localPort, contextId, accessMode } = socket.info;
      const lport = localPort || socket.hostLocalPort;
      return `+QISTATE: ${id},"${service}","${remoteHost}",${remotePort},${lport},${socket.state},${contextId},0,${accessMode},"uart1"`;
    });
}
