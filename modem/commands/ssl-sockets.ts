import { isIP } from 'node:net';
import type { ConnectionOptions, PeerCertificate } from 'node:tls';
import { type CommandTable, INVALID_PARAMS } from '../at/command-table.ts';
import { ParamError, type Params } from '../at/params.ts';
import { type AtResponse, ok } from '../at/response.ts';
import { openTls } from '../host/tls-transport.ts';
import type { ModemContext } from '../modem-context.ts';
import { type AccessMode, ModemSocket } from '../sockets/modem-socket.ts';
import { OPEN_ERROR, openInBackground } from '../sockets/open-service.ts';
import { MAX_SOCKET_ID } from '../sockets/socket-table.ts';
import { OpenFailure } from '../sockets/transport.ts';
import { ALL_CIPHER_SUITES, CIPHER_SUITES } from '../ssl/cipher-suites.ts';
import { loadCredentials } from '../ssl/credentials.ts';
import { refuseServer } from '../ssl/server-verification.ts';
import { MAX_SSL_CONTEXT_ID, type SslContextConfig, type SslContexts } from '../ssl/ssl-context.ts';
import { MAX_CONTEXT_ID } from './pdp.ts';
import { MAX_READ, MAX_SEND, sendCounters, sendPhase, streamRead } from './send-data.ts';
import { SOCKET_ERROR, socketFailure } from './socket-errors.ts';

/** AT+QSSLCLOSE's default <timeout>, seconds. */
const DEFAULT_CLOSE_TIMEOUT_S = 10;

/**
 * OpenSSL security level 2 (RSA/DH ≥ 2048 bits, no SHA-1 signatures): the same bar as Mbed TLS 2.28's
 * default X.509 profile, so both modes refuse the same weak certificates. TLS 1.0/1.1 need level 0.
 */
const STRICT = '@SECLEVEL=2';
const LEGACY = '@SECLEVEL=0';

/** AT+QSSLOPEN, AT+QSSLSEND, AT+QSSLRECV, AT+QSSLCLOSE, AT+QSSLSTATE: TLS sockets run by the modem. */
export function registerSslSocketCommands(
  table: CommandTable,
  ctx: ModemContext,
  contexts: SslContexts,
): void {
  const invalid = INVALID_PARAMS.tcpip;
  /** Sessions to resume ("session" 1), per SSL context and server. */
  const sessions = new Map<string, StoredSession>();
  // Sessions are RAM: a reboot (AT+CFUN=1,1, a modem-reboot event) loses them.
  contexts.onReset(() => sessions.clear());

  table.register(
    '+QSSLOPEN',
    {
      test: () =>
        ok(
          `+QSSLOPEN: (1-${MAX_CONTEXT_ID}),(0-${MAX_SSL_CONTEXT_ID}),(0-${MAX_SOCKET_ID}),"<serveraddr>",(1-65535),(0-2)`,
        ),
      write: ({ params }) => openSsl(ctx, params, contexts, sessions),
    },
    invalid,
  );

  table.register(
    '+QSSLSEND',
    {
      test: () => ok(`+QSSLSEND: (0-${MAX_SOCKET_ID}),(0-${MAX_SEND})`),
      write: ({ params }) => {
        const id = params.expectCount(1, 2).int(0, 0, MAX_SOCKET_ID);
        const length = params.has(1) ? params.int(1, 0, MAX_SEND) : undefined;
        const socket = ctx.sockets.get(id);
        if (length === 0) {
          return socket?.info.family === 'ssl'
            ? sendCounters(socket, '+QSSLSEND')
            : socketFailure(ctx, SOCKET_ERROR.closed);
        }
        if (socket?.info.family !== 'ssl' || !socket.connected) {
          return socketFailure(ctx, socket?.state === 1 ? SOCKET_ERROR.busy : SOCKET_ERROR.closed);
        }
        return sendPhase(ctx, socket, length);
      },
    },
    invalid,
  );

  table.register(
    '+QSSLRECV',
    {
      test: () => ok(`+QSSLRECV: (0-${MAX_SOCKET_ID}),(1-${MAX_READ})`),
      write: ({ params }) => {
        const id = params.expectCount(2).int(0, 0, MAX_SOCKET_ID);
        const length = params.int(1, 1, MAX_READ);
        const socket = ctx.sockets.get(id);
        if (!socket) return socketFailure(ctx, SOCKET_ERROR.closed);
        if (socket.info.family !== 'ssl') return socketFailure(ctx, SOCKET_ERROR.notAllowed);
        return streamRead(socket, '+QSSLRECV', length);
      },
    },
    invalid,
  );

  table.register(
    '+QSSLCLOSE',
    {
      test: () => ok(`+QSSLCLOSE: (0-${MAX_SOCKET_ID}),(0-65535)`),
      write: async ({ params }) => {
        const id = params.expectCount(1, 2).int(0, 0, MAX_SOCKET_ID);
        const timeoutS = params.optInt(1, 0, 65535, DEFAULT_CLOSE_TIMEOUT_S);
        const socket = ctx.sockets.get(id);
        // Not an SSL client here: nothing to close, answered OK (Mbed OS sweeps 0..11 at boot).
        if (socket?.info.family !== 'ssl') return ok();
        ctx.sockets.remove(socket);
        await socket.close(timeoutS * 1000);
        ctx.log.info(`ssl client ${id}: closed by host`);
        return ok();
      },
    },
    invalid,
  );

  const stateLines = (select: (socket: ModemSocket) => boolean): AtResponse =>
    ok(
      ...ctx.sockets
        .all()
        .filter((socket) => socket.info.family === 'ssl' && select(socket))
        .map((socket) => {
          const { id, remoteHost, remotePort, contextId, accessMode, sslContextId } = socket.info;
          return `+QSSLSTATE: ${id},"SSLClient","${remoteHost}",${remotePort},${socket.hostLocalPort},${socket.state},${contextId},0,${accessMode},"uart1",${sslContextId ?? 0}`;
        }),
    );
  table.register(
    '+QSSLSTATE',
    {
      test: () => ok(),
      exec: () => stateLines(() => true),
      read: () => stateLines(() => true),
      write: ({ params }) => {
        const id = params.expectCount(1).int(0, 0, MAX_SOCKET_ID);
        return stateLines((socket) => socket.info.id === id);
      },
    },
    invalid,
  );
}

/** A TLS session kept for resumption, with the certificate its full handshake showed. */
interface StoredSession {
  session?: Buffer;
  peer?: PeerCertificate;
}

function openSsl(
  ctx: ModemContext,
  params: Params,
  contexts: SslContexts,
  sessions: Map<string, StoredSession>,
): AtResponse {
  params.expectCount(5, 6);
  const contextId = params.int(0, 1, MAX_CONTEXT_ID);
  const sslContextId = params.int(1, 0, MAX_SSL_CONTEXT_ID);
  const id = params.int(2, 0, MAX_SOCKET_ID);
  const remoteHost = params.string(3);
  const remotePort = params.int(4, 1, 65535);
  const accessMode = params.optInt(5, 0, 2, 0);
  if (remoteHost === '') throw new ParamError('empty server address');
  if (accessMode === 2) return socketFailure(ctx, SOCKET_ERROR.notSupported);

  if (ctx.sockets.get(id)) {
    ctx.state.lastSocketError = OPEN_ERROR.identityUsed;
    ctx.urc(`+QSSLOPEN: ${id},${OPEN_ERROR.identityUsed}`);
    return ok();
  }
  if (!ctx.state.context(contextId).active) {
    ctx.state.lastSocketError = OPEN_ERROR.pdpNotActive;
    ctx.urc(`+QSSLOPEN: ${id},${OPEN_ERROR.pdpNotActive}`);
    return ok();
  }

  // The configuration is taken now: a QSSLCFG during the handshake does not change this open.
  const config = structuredClone(contexts.get(sslContextId));
  const socket = new ModemSocket(
    {
      id,
      family: 'ssl',
      contextId,
      service: 'SSLClient',
      remoteHost,
      remotePort,
      localPort: 0,
      accessMode: accessMode as AccessMode,
      sslContextId,
    },
    {
      urc: (...lines) => ctx.urc(...lines),
      log: ctx.log,
      closedPolicy: ctx.options.closedUrc,
      finished: (s) => ctx.socketFinished(s),
    },
  );
  ctx.sockets.add(socket);
  void openInBackground(ctx, socket, '+QSSLOPEN', async (address) => {
    const sessionKey = `${sslContextId}|${address}|${remotePort}`;
    const tlsOptions = connectionOptions(config, remoteHost, address, remotePort);
    const stored = config.session === 1 ? sessions.get(sessionKey) : undefined;
    if (stored?.session) tlsOptions.session = stored.session;
    const credentials = loadCredentials(config, ctx.files);
    if (credentials.ca) tlsOptions.ca = credentials.ca.pem;
    if (credentials.client) {
      tlsOptions.cert = credentials.client.certPem;
      tlsOptions.key = credentials.client.key.export({ type: 'pkcs8', format: 'pem' });
    }
    const host = checkedHost(config, remoteHost);
    const transport = await openTls(
      {
        tls: tlsOptions,
        timeoutMs: ctx.options.negotiateTimeoutMs ?? config.negotiateTime * 1000,
        clock: ctx.options.clock,
        meter: socket.air,
        link: ctx.linkFor(`ssl-${id}`, true),
        verify: (tlsSocket) => {
          const refusal = refuseServer(tlsSocket, {
            verify: config.secLevel > 0,
            ignoreDates: config.ignoreLocalTime === 1,
            host,
            trusted: credentials.ca?.certificates ?? [],
            resumedPeer: stored?.peer,
          });
          if (!refusal && config.session === 1 && !tlsSocket.isSessionReused()) {
            sessions.set(sessionKey, { ...sessions.get(sessionKey), peer: tlsSocket.getPeerCertificate() });
          }
          return refusal;
        },
        onSession:
          config.session === 1
            ? (session) => sessions.set(sessionKey, { ...sessions.get(sessionKey), session })
            : undefined,
      },
      socket,
    );
    socket.air.modemHandshakeCompleted(transport.resumed);
    return transport;
  });
  return ok();
}

/** The Node TLS options for the context: version, suites, SNI. Credentials are added by the caller. */
function connectionOptions(
  config: SslContextConfig,
  remoteHost: string,
  address: string,
  port: number,
): ConnectionOptions {
  // The BG96 speaks up to TLS 1.2 (there is no sslversion for 1.3).
  const versions: Record<number, Pick<ConnectionOptions, 'minVersion' | 'maxVersion'>> = {
    1: { minVersion: 'TLSv1', maxVersion: 'TLSv1' },
    2: { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1' },
    3: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' },
    4: { minVersion: 'TLSv1', maxVersion: 'TLSv1.2' },
  };
  if (config.sslVersion === 0) throw new OpenFailure(555, 'SSL 3.0 is not available');
  const level = config.sslVersion === 1 || config.sslVersion === 2 ? LEGACY : STRICT;
  const suites = config.cipherSuites.includes(ALL_CIPHER_SUITES)
    ? 'DEFAULT'
    : config.cipherSuites.map((suite) => CIPHER_SUITES.get(suite)).join(':');
  const sniName =
    config.checkHost.kind === 'name' ? config.checkHost.name : isIP(remoteHost) ? undefined : remoteHost;
  return {
    host: address,
    port,
    ...versions[config.sslVersion],
    ciphers: `${suites}:${level}`,
    servername: config.sni === 1 && sniName && !isIP(sniName) ? sniName : undefined,
  };
}

/** The name the certificate must match: checkhost's name, or (checkhost 1) the server address given. */
function checkedHost(config: SslContextConfig, remoteHost: string): string | undefined {
  if (config.checkHost.kind === 'name') return config.checkHost.name;
  if (config.checkHost.kind === 'address') return remoteHost;
  return undefined;
}
