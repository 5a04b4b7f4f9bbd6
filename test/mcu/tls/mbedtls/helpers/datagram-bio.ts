// A synchronous datagram BIO over a Node UDP socket connected to one peer: each send is one datagram,
// each recv hands over one queued datagram (or WANT_READ). drive() repeats an Mbed TLS call, awaiting a
// datagram or the DTLS timer's final deadline after each WANT_READ.
import dgram from 'node:dgram';
import { MBEDTLS_ERR_SSL_WANT_READ, type SslContext } from '../../../../../mcu/tls/mbedtls/index.ts';
import { type DtlsTimer, realTimer } from './dtls-timers.ts';

export class DatagramBio {
  readonly timer: DtlsTimer = realTimer();
  private inbound: Buffer[] = [];
  private wake: (() => void) | null = null;

  private constructor(private readonly socket: dgram.Socket) {
    socket.on('message', (message: Buffer) => {
      this.inbound.push(message);
      const wake = this.wake;
      this.wake = null;
      wake?.();
    });
  }

  static connect(port: number): Promise<DatagramBio> {
    const socket = dgram.createSocket('udp4');
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () =>
        socket.connect(port, '127.0.0.1', () => resolve(new DatagramBio(socket))),
      );
    });
  }

  attach(ctx: SslContext): void {
    ctx.setBio(this.send, this.recv);
    ctx.setTimer(this.timer.setDelay, this.timer.getDelay);
  }

  send = (data: Uint8Array): number => {
    this.socket.send(data);
    return data.length;
  };

  recv = (maxLength: number): Uint8Array | number => {
    const datagram = this.inbound.shift();
    if (datagram === undefined) return MBEDTLS_ERR_SSL_WANT_READ;
    return datagram.subarray(0, maxLength);
  };

  async drive(call: () => number, timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ret = call();
      if (ret !== MBEDTLS_ERR_SSL_WANT_READ) return ret;
      if (Date.now() > deadline) throw new Error(`no answer within ${timeoutMs} ms`);
      await this.waitForDatagramOrTimer();
    }
  }

  close(): void {
    this.socket.close();
  }

  private waitForDatagramOrTimer(): Promise<void> {
    if (this.inbound.length > 0) return Promise.resolve();
    const timerDeadline = this.timer.deadline;
    const wait = timerDeadline === null ? 1000 : Math.max(1, Math.ceil(timerDeadline - performance.now()));
    return new Promise((resolve) => {
      const timeout = setTimeout(() => {
        this.wake = null;
        resolve();
      }, wait);
      this.wake = () => {
        clearTimeout(timeout);
        resolve();
      };
    });
  }
}
