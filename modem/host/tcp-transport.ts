import { connect, isIP, type Socket } from 'node:net';
import type { Clock } from '../../shared/clock.ts';
import { type ConnectionTap, tapConnection } from '../capture/network-recorder.ts';
import type { LinkShaper } from '../link/link-shaper.ts';
import { OpenFailure, type Transport, type TransportEvents } from '../sockets/transport.ts';
import { trackHostStream } from './host-socket-ledger.ts';

/** Quectel result codes for a failed TCP open. */
export const TCP_OPEN_ERROR = { bindFailed: 556, connectFailed: 566, timeout: 569 } as const;

/** Above this many queued bytes a send answers SEND FAIL ("sending buffer is full"). */
const SEND_BUFFER_LIMIT = 64 * 1024;

export interface TcpOpenOptions {
  readonly address: string;
  readonly port: number;
  /** Bind the host socket to this local port (only with ModemOptions.bindLocalPorts). */
  readonly localPort?: number;
  readonly timeoutMs: number;
  readonly clock: Clock;
  /** The cellular link the connection is shaped by (none: loopback as it is). */
  readonly link?: LinkShaper;
}

/** Opens a host TCP connection for AT+QIOPEN "TCP"; rejects with OpenFailure(566/569/556). */
export function openTcp(options: TcpOpenOptions, events: TransportEvents): Promise<TcpTransport> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: options.address,
      port: options.port,
      family: isIP(options.address),
      localPort: options.localPort,
    });
    const timer = options.clock.setTimeout(() => {
      socket.destroy();
      reject(new OpenFailure(TCP_OPEN_ERROR.timeout, 'connect timed out'));
    }, options.timeoutMs);
    socket.once('error', (err: NodeJS.ErrnoException) => {
      options.clock.clearTimeout(timer);
      const code = err.code === 'EADDRINUSE' ? TCP_OPEN_ERROR.bindFailed : TCP_OPEN_ERROR.connectFailed;
      reject(new OpenFailure(code, err.message));
    });
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      trackHostStream(socket);
      // The capture sees the connection from here, on the network side of the link shaper.
      const tap = tapConnection(
        'tcp',
        { address: socket.localAddress ?? '', port: socket.localPort ?? 0 },
        { address: socket.remoteAddress ?? options.address, port: socket.remotePort ?? options.port },
      );
      const connected = () => {
        options.clock.clearTimeout(timer);
        resolve(new TcpTransport(socket, options.clock, events, options.link, tap));
      };
      // On a shaped link the SYN and SYN-ACK take a round trip before the connection exists.
      if (options.link && options.link.roundTripMs > 0) {
        socket.once('error', () => undefined);
        options.clock.setTimeout(connected, options.link.roundTripMs);
      } else {
        connected();
      }
    });
  });
}

/** A connected stream (TCP, or TLS over it): bytes in and out, the peer's end, a bounded close. */
export class TcpTransport<S extends Socket = Socket> implements Transport {
  protected ended = false;

  constructor(
    protected readonly socket: S,
    private readonly clock: Clock,
    events: TransportEvents,
    /** shapes the plain TCP bytes; a TLS transport is shaped below OpenSSL instead (MeteredStream) */
    private readonly link?: LinkShaper,
    /** records the plain TCP stream for the run's capture; a TLS transport is tapped below OpenSSL */
    private readonly tap?: ConnectionTap,
  ) {
    socket.setNoDelay(true);
    if (tap) {
      socket.on('data', (bytes: Buffer) => tap.received(bytes));
      socket.on('end', () => tap.fin('down'));
      socket.on('close', () => tap.closed());
    }
    // What arrives from the network reaches the modem after the link's delay, in order, end included.
    const arrive = (bytes: number, deliver: () => void) =>
      link ? link.down.carry(bytes, deliver) : deliver();
    socket.on('data', (bytes: Buffer) => arrive(bytes.length, () => events.data(bytes)));
    // 'end' = the peer's FIN; 'close' also covers resets. Either way the peer is gone.
    const gone = (reason: string) => {
      if (this.ended) return;
      this.ended = true;
      events.closed(reason);
    };
    socket.on('end', () => arrive(0, () => gone('peer closed')));
    socket.on('error', (err) => arrive(0, () => gone(err.message)));
    socket.on('close', () => arrive(0, () => gone('closed')));
  }

  /** Accepted but not yet on the wire: the socket's buffer, and what is still crossing the link. */
  get unacked(): number {
    return this.socket.writableLength + (this.link?.up.inFlightBytes ?? 0);
  }

  get localPort(): number {
    return this.socket.localPort ?? 0;
  }

  async send(data: Buffer): Promise<boolean> {
    if (this.ended || this.socket.destroyed) throw new Error('connection closed');
    if (this.unacked > SEND_BUFFER_LIMIT) return false;
    const write = () => {
      this.tap?.sent(data);
      this.socket.write(data);
    };
    if (this.link) this.link.up.carry(data.length, write);
    else write();
    return true;
  }

  close(timeoutMs: number): Promise<void> {
    this.ended = true;
    if (this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => {
        this.socket.destroy();
        resolve();
      }, timeoutMs);
      this.socket.once('close', () => {
        this.clock.clearTimeout(timer);
        this.link?.stop();
        resolve();
      });
      // The FIN follows the data still crossing the link.
      const end = () => {
        this.tap?.fin('up');
        this.socket.end();
      };
      if (this.link) this.link.up.carry(0, end);
      else end();
    });
  }

  destroy(): void {
    this.ended = true;
    this.link?.stop();
    this.socket.destroy();
  }
}
