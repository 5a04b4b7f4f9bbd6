// A serialport binding whose "serial line" is a TCP connection (tcp://HOST:PORT dials out,
// tcp-listen://HOST:PORT waits for a peer). It lets the MCU, the modem and the wire run as separate
// processes or containers while every layer above still talks to a SerialPort stream.
import net from 'node:net';
import type {
  BindingInterface,
  BindingPortInterface,
  OpenOptions,
  PortInfo,
  PortStatus,
  SetOptions,
  UpdateOptions,
} from '@serialport/bindings-interface';
import { parseUartSpec } from './uart-spec.ts';

class CanceledError extends Error {
  readonly canceled = true;
}

type PendingRead = {
  buffer: Buffer;
  offset: number;
  length: number;
  resolve: (n: number) => void;
  reject: (e: Error) => void;
};

export class TcpPortBinding implements BindingPortInterface {
  isOpen = true;
  private socket: net.Socket | null = null;
  private inbox: Buffer[] = [];
  private pending: PendingRead | null = null;
  private readonly server: net.Server | null;

  constructor(
    readonly openOptions: Required<OpenOptions>,
    socket: net.Socket | null,
    server: net.Server | null,
  ) {
    this.server = server;
    if (socket) this.attach(socket);
    // A listening end serves one peer at a time; a newcomer replaces a previous peer, like re-plugging a cable.
    server?.on('connection', (peer) => {
      this.socket?.destroy();
      this.attach(peer);
    });
  }

  private attach(socket: net.Socket): void {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.inbox.push(chunk);
      this.serveRead();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      if (this.socket === socket) this.socket = null;
      // A dialled line that drops is gone for good; cancel the reader so the stream reports it.
      if (!this.server) this.failPending(new Error('UART peer closed the TCP connection'));
    });
  }

  private serveRead(): void {
    const read = this.pending;
    if (!read || this.inbox.length === 0) return;
    this.pending = null;
    let copied = 0;
    while (copied < read.length && this.inbox.length) {
      const head = this.inbox[0];
      const n = Math.min(head.length, read.length - copied);
      head.copy(read.buffer, read.offset + copied, 0, n);
      copied += n;
      if (n === head.length) this.inbox.shift();
      else this.inbox[0] = head.subarray(n);
    }
    read.resolve(copied);
  }

  private failPending(error: Error): void {
    const read = this.pending;
    this.pending = null;
    read?.reject(error);
  }

  async read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    if (!this.isOpen) throw new Error('Port is not open');
    if (this.pending) throw new Error('Overlapping reads are not supported');
    const bytesRead = await new Promise<number>((resolve, reject) => {
      this.pending = { buffer, offset, length, resolve, reject };
      this.serveRead();
    });
    return { buffer, bytesRead };
  }

  async write(buffer: Buffer): Promise<void> {
    if (!this.isOpen) throw new Error('Port is not open');
    const socket = this.socket;
    // Nothing attached to a listening end: bytes fall off the line, as on an unconnected UART.
    if (!socket || socket.destroyed) return;
    await new Promise<void>((resolve) => socket.write(buffer, () => resolve()));
  }

  async close(): Promise<void> {
    if (!this.isOpen) throw new Error('Port is not open');
    this.isOpen = false;
    this.failPending(new CanceledError('port is closed'));
    this.socket?.destroy();
    this.server?.close();
  }

  async update(_options: UpdateOptions): Promise<void> {}
  async set(_options: SetOptions): Promise<void> {}
  async get(): Promise<PortStatus> {
    return { cts: true, dsr: true, dcd: this.socket !== null };
  }
  async getBaudRate(): Promise<{ baudRate: number }> {
    return { baudRate: this.openOptions.baudRate };
  }
  async flush(): Promise<void> {
    this.inbox = [];
  }
  async drain(): Promise<void> {}

  /** The bound address of a tcp-listen end (useful when it was opened on port 0). */
  listeningAddress(): net.AddressInfo | null {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address : null;
  }
}

function withDefaults(options: OpenOptions): Required<OpenOptions> {
  return {
    dataBits: 8,
    lock: false,
    stopBits: 1,
    parity: 'none',
    rtscts: false,
    xon: false,
    xoff: false,
    xany: false,
    hupcl: true,
    ...options,
  } as Required<OpenOptions>;
}

export const TcpBinding: BindingInterface<TcpPortBinding> = {
  async list(): Promise<PortInfo[]> {
    return [];
  },
  async open(options: OpenOptions): Promise<TcpPortBinding> {
    const spec = parseUartSpec(options.path);
    if (spec.kind === 'tcp') {
      const socket = await new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect({ host: spec.host, port: spec.port }, () => resolve(s));
        s.once('error', (e) => reject(new Error(`cannot reach UART at ${options.path}: ${e.message}`)));
      });
      return new TcpPortBinding(withDefaults(options), socket, null);
    }
    if (spec.kind === 'tcp-listen') {
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', (e) =>
          reject(new Error(`cannot listen for a UART peer at ${options.path}: ${e.message}`)),
        );
        server.listen(spec.port, spec.host, () => resolve());
      });
      return new TcpPortBinding(withDefaults(options), null, server);
    }
    throw new Error(`TcpBinding cannot open "${options.path}"`);
  },
};
