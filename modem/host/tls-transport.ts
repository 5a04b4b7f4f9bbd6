import { connect as connectTcp, isIP } from 'node:net';
import { type ConnectionOptions, connect, type TLSSocket } from 'node:tls';
import type { Clock } from '../../shared/clock.ts';
import { appendKeyLogLine, keyLogFile } from '../../shared/nss-key-log.ts';
import type { AirMeter } from '../air/air-meter.ts';
import { MeteredStream } from '../air/metered-stream.ts';
import type { LinkShaper } from '../link/link-shaper.ts';
import { OpenFailure, type TransportEvents } from '../sockets/transport.ts';
import { TcpTransport } from './tcp-transport.ts';

/**
 * `+QSSLOPEN: <id>,<err>` for a failed open. Which failure gives which code is tlssim's choice among
 * the documented 55x codes (docs/deviations.md):
 */
export const TLS_OPEN_ERROR = {
  /** Refused or unreachable TCP connect. */
  connectFailed: 566,
  /** The server aborted the handshake (an alert: client certificate required or refused, …). */
  peerAborted: 567,
  /** No protocol version or cipher suite in common, or one the modem cannot build (SSL 3.0, RC4). */
  notSupported: 555,
  /** TCP connect plus handshake took longer than "negotiatetime". */
  timeout: 569,
  /** The modem refused the server: untrusted chain, validity dates, weak key/hash, host mismatch. */
  serverRejected: 572,
} as const;

export interface TlsOpenOptions {
  readonly tls: ConnectionOptions;
  readonly timeoutMs: number;
  readonly clock: Clock;
  /** Runs after the handshake; a returned reason refuses the server (572). */
  readonly verify: (socket: TLSSocket) => string | undefined;
  /** The session to resume (when "session" is on) and where to keep the new one. */
  readonly onSession?: (session: Buffer) => void;
  /** Counts the encrypted bytes as the network carries them (the socket's AirMeter). */
  readonly meter?: AirMeter;
  /** The cellular link the encrypted stream crosses. */
  readonly link?: LinkShaper;
}

/** The TCP connection under the TLS session, metered when a meter is given. */
function meteredConnection(options: TlsOpenOptions): MeteredStream | undefined {
  const { meter } = options;
  const host = options.tls.host;
  if (!meter || !host || !options.tls.port) return undefined;
  const raw = connectTcp({ host, port: options.tls.port, family: isIP(host) });
  raw.once('connect', () => meter.connected());
  return new MeteredStream(raw, meter, options.link);
}

/** A key log that cannot be written costs the decryption, never the connection. */
function logKeyLine(line: Buffer): void {
  try {
    appendKeyLogLine(line.toString('latin1'));
  } catch {
    // nothing to do: the run goes on without a key log line
  }
}

function failureCode(err: NodeJS.ErrnoException): number {
  const code = err.code ?? '';
  if (
    /NO_PROTOCOLS_AVAILABLE|UNSUPPORTED_PROTOCOL|PROTOCOL_VERSION|NO_CIPHER|NO_SHARED_CIPHER|WRONG_VERSION|NO_SUITABLE/.test(
      code,
    )
  ) {
    return TLS_OPEN_ERROR.notSupported;
  }
  if (
    code === 'ECONNREFUSED' ||
    code === 'EHOSTUNREACH' ||
    code === 'ENETUNREACH' ||
    code === 'EADDRNOTAVAIL'
  ) {
    return TLS_OPEN_ERROR.connectFailed;
  }
  return TLS_OPEN_ERROR.peerAborted;
}

/** AT+QSSLOPEN on the host: TCP connect and TLS handshake (client side), bounded by negotiatetime. */
export function openTls(options: TlsOpenOptions, events: TransportEvents): Promise<TlsTransport> {
  return new Promise((resolve, reject) => {
    let socket: TLSSocket;
    try {
      // Verification is the modem's own (refuseServer): OpenSSL only reports, never aborts.
      const metered = meteredConnection(options);
      socket = connect({
        ...options.tls,
        ...(metered ? { socket: metered } : {}),
        rejectUnauthorized: false,
        checkServerIdentity: () => undefined,
      });
      // The TLS socket does not end the stream it was given: its close ends the TCP connection.
      if (metered) socket.once('close', () => metered.destroy());
      // OpenSSL's key log lines (Node's 'keylog' event, already NSS format) for Wireshark.
      if (keyLogFile()) socket.on('keylog', logKeyLine);
    } catch (err) {
      // Bad cipher list, SSL 3.0: createSecureContext throws before any packet.
      reject(new OpenFailure(TLS_OPEN_ERROR.notSupported, (err as Error).message));
      return;
    }
    let settled = false;
    const fail = (code: number, reason: string) => {
      if (settled) return;
      settled = true;
      options.clock.clearTimeout(timer);
      socket.destroy();
      reject(new OpenFailure(code, reason));
    };
    const timer = options.clock.setTimeout(
      () => fail(TLS_OPEN_ERROR.timeout, 'handshake timed out (negotiatetime)'),
      options.timeoutMs,
    );
    if (options.onSession) socket.on('session', options.onSession);
    socket.once('error', (err: NodeJS.ErrnoException) => fail(failureCode(err), err.message));
    socket.once('close', () => fail(TLS_OPEN_ERROR.peerAborted, 'connection closed during the handshake'));
    socket.once('secureConnect', () => {
      if (settled) return;
      const refusal = options.verify(socket);
      if (refusal) return fail(TLS_OPEN_ERROR.serverRejected, refusal);
      settled = true;
      options.clock.clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.removeAllListeners('close');
      resolve(new TlsTransport(socket, options.clock, events));
    });
  });
}

/** An established TLS session: plaintext in and out; close sends close_notify, then FIN. */
export class TlsTransport extends TcpTransport<TLSSocket> {
  /** The server resumed the session the modem offered ("session" on). */
  get resumed(): boolean {
    return this.socket.isSessionReused();
  }

  get description(): string {
    const resumed = this.socket.isSessionReused() ? ', session resumed' : '';
    return `${this.socket.getProtocol() ?? '?'} ${this.socket.getCipher()?.name ?? '?'}${resumed}`;
  }
}
