// What the DTLS device tests share: the lab PKI and hosts, a lab DTLS server, the device (the BG96 on the
// mock UART), a black hole that swallows datagrams, and helpers to echo and to wait for sigio.
import { createSocket, type Socket as DgramSocket } from 'node:dgram';
import { type DtlsServer, type DtlsServerOptions, startDtlsServer } from '../../../lab/dtls/dtls-server.ts';
import { type Lab, startLab } from '../../../lab/servers/lab.ts';
import type { DTLSSocketWrapper } from '../../../mcu/tls/dtls-socket-wrapper.ts';
import { SocketAddress } from '../../../shared/socket-address.ts';

/** The name on the lab's echo certificate (the modem resolves it through the lab hosts table). */
export const ECHO_HOST = 'echo.tlssim.test';

export function labAddress(port: number): SocketAddress {
  return new SocketAddress('127.0.0.1', port);
}

export async function startDtlsLab(
  options: Omit<DtlsServerOptions, 'pki'> = {},
): Promise<{ lab: Lab; server: DtlsServer }> {
  const lab = await startLab({ kinds: [] });
  const server = await startDtlsServer({ pki: lab.pki, ...options });
  return { lab, server };
}

/** A UDP port on loopback that receives and never answers. */
export interface BlackHole {
  port: number;
  datagrams: Buffer[];
  close(): Promise<void>;
}

export function startBlackHole(): Promise<BlackHole> {
  const socket: DgramSocket = createSocket('udp4');
  const datagrams: Buffer[] = [];
  socket.on('message', (datagram) => datagrams.push(datagram));
  return new Promise((resolve) => {
    socket.bind(0, '127.0.0.1', () =>
      resolve({
        port: socket.address().port,
        datagrams,
        close: () => new Promise((done) => socket.close(() => done())),
      }),
    );
  });
}

/** Sends `data` and collects the echo (records come back one per recv); returns the bytes and the recv sizes. */
export async function echo(
  socket: DTLSSocketWrapper,
  data: Uint8Array,
): Promise<{ back: Buffer; recvSizes: number[]; sent: number }> {
  const sent = await socket.send(data);
  const back = Buffer.alloc(data.length);
  const recvSizes: number[] = [];
  let got = 0;
  while (sent === data.length && got < data.length) {
    const n = await socket.recv(back.subarray(got));
    recvSizes.push(n);
    if (n <= 0) break;
    got += n;
  }
  return { back: back.subarray(0, got), recvSizes, sent };
}

/** Counts sigio calls; wait() resolves at once if one came since the last wait, else at the next one. */
export class SigioWaiter {
  private count = 0;
  private seen = 0;
  private wake: (() => void) | null = null;

  readonly callback = (): void => {
    this.count++;
    this.wake?.();
  };

  get calls(): number {
    return this.count;
  }

  wait(): Promise<void> {
    if (this.count > this.seen) {
      this.seen = this.count;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = null;
        this.seen = this.count;
        resolve();
      };
    });
  }
}
