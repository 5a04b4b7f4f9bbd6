import { connect, isIP, type Socket } from 'node:net';
import type { Clock } from '../../shared/clock.ts';
import { OpenFailure, type Transport, type TransportEvents } from '../sockets/transport.ts';

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
      options.clock.clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(new TcpTransport(socket, options.clock, events));
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
  ) {
    socket.setNoDelay(true);
    socket.on('data', (bytes: Buffer) => events.data(bytes));
    // 'end' = the peer's FIN; 'close' also covers resets. Either way the peer is gone.
    const gone = (reason: string) => {
      if (this.ended) return;
      this.ended = true;
      events.closed(reason);
    };
    socket.on('end', () => gone('peer closed'));
    socket.on('error', (err) => gone(err.message));
    socket.on('close', () => gone('closed'));
  }

  get unacked(): number {
    return this.socket.writableLength;
  }

  get localPort(): number {
    return this.socket.localPort ?? 0;
  }

  async send(data: Buffer): Promise<boolean> {
    if (this.ended || this.socket.destroyed) throw new Error('connection closed');
    if (this.socket.writableLength > SEND_BUFFER_LIMIT) return false;
    this.socket.write(data);
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
        resolve();
      });
      this.socket.end();
    });
  }

  destroy(): void {
    this.ended = true;
    this.socket.destroy();
  }
}
