// A synchronous BIO over an asynchronous Node socket, as the tests need it: inbound bytes are buffered
// as they arrive and recv hands them over (or WANT_READ); send writes to the socket at once. drive()
// repeats an Mbed TLS call, awaiting more bytes after each WANT_READ.
import net from 'node:net';
import { MBEDTLS_ERR_SSL_WANT_READ, type SslContext } from '../../../../../mcu/tls/mbedtls/index.ts';

export class SocketBio {
  private inbound: Buffer[] = [];
  private ended = false;
  private wake: (() => void) | null = null;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (data: Buffer) => {
      this.inbound.push(data);
      this.notify();
    });
    const end = () => {
      this.ended = true;
      this.notify();
    };
    socket.on('end', end);
    socket.on('close', end);
    socket.on('error', end);
  }

  static connect(port: number): Promise<SocketBio> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(new SocketBio(socket)));
      socket.once('error', reject);
    });
  }

  attach(ctx: SslContext): void {
    ctx.setBio(this.send, this.recv);
  }

  send = (data: Uint8Array): number => {
    if (this.ended) return -1;
    this.socket.write(data);
    return data.length;
  };

  recv = (maxLength: number): Uint8Array | number => {
    const first = this.inbound[0];
    if (first === undefined) return this.ended ? 0 : MBEDTLS_ERR_SSL_WANT_READ;
    if (first.length <= maxLength) {
      this.inbound.shift();
      return first;
    }
    this.inbound[0] = first.subarray(maxLength);
    return first.subarray(0, maxLength);
  };

  /** Repeats `call` while it answers WANT_READ, waiting for bytes (or the end) in between. */
  async drive(call: () => number, timeoutMs = 5000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ret = call();
      if (ret !== MBEDTLS_ERR_SSL_WANT_READ) return ret;
      if (!(await this.waitForInput(deadline - Date.now())))
        throw new Error(`no answer within ${timeoutMs} ms`);
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private waitForInput(timeoutMs: number): Promise<boolean> {
    if (this.inbound.length > 0 || this.ended) return Promise.resolve(true);
    if (timeoutMs <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve(false);
      }, timeoutMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }
}
