import { createSocket, type Socket, type SocketType } from 'node:dgram';
import { isIP } from 'node:net';
import { type ConnectionTap, tapConnection } from '../capture/network-recorder.ts';
import type { LinkShaper } from '../link/link-shaper.ts';
import { type Endpoint, OpenFailure, type Transport, type TransportEvents } from '../sockets/transport.ts';
import { hostDatagramReceived, hostDatagramSent, hostDatagramSocketClosed } from './host-socket-ledger.ts';

/** `+QIOPEN: <id>,556`: socket bind failed. Mbed's BG96 driver maps exactly this code to PARAMETER. */
export const UDP_BIND_FAILED = 556;

export interface UdpOpenOptions {
  /** "UDP": the connected peer. Undefined for "UDP SERVICE" (any peer, per-send destination). */
  readonly peer?: Endpoint;
  /** Bind to this local port (only with ModemOptions.bindLocalPorts); 0 = OS-chosen. */
  readonly localPort: number;
  /** Bind to loopback only (the default), or to every interface when non-loopback traffic is allowed. */
  readonly loopbackOnly: boolean;
  /** The cellular link datagrams cross: delayed, reordered by jitter, lost (none: loopback as it is). */
  readonly link?: LinkShaper;
}

function bindAddress(type: SocketType, loopbackOnly: boolean): string {
  if (type === 'udp6') return loopbackOnly ? '::1' : '::';
  return loopbackOnly ? '127.0.0.1' : '0.0.0.0';
}

function bind(
  type: SocketType,
  port: number,
  loopbackOnly: boolean,
  events: TransportEvents,
  link: LinkShaper | undefined,
  peer: Endpoint | undefined,
): Promise<{ socket: Socket; tap: ConnectionTap | undefined }> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type, reuseAddr: false });
    socket.once('error', (err) => {
      socket.close();
      reject(new OpenFailure(UDP_BIND_FAILED, err.message));
    });
    socket.bind(port, bindAddress(type, loopbackOnly), () => {
      socket.removeAllListeners('error');
      // A UDP socket has no peer to lose; host errors (ICMP unreachable) just drop the datagram.
      socket.on('error', () => {});
      // The capture sees datagrams on the network side of the link shaper, lost ones included.
      const local = socket.address();
      const tap = tapConnection('udp', { address: local.address, port: local.port }, peer);
      socket.on('close', () => {
        tap?.closed();
        hostDatagramSocketClosed(local.port);
      });
      socket.on('message', (data, rinfo) => {
        hostDatagramReceived(local.port, rinfo.port, data.length);
        tap?.received(data, { address: rinfo.address, port: rinfo.port });
        const deliver = () => events.data(data, { address: rinfo.address, port: rinfo.port });
        if (!link) return deliver();
        if (!link.down.loses()) link.down.carry(data.length, deliver);
      });
      resolve({ socket, tap });
    });
  });
}

/**
 * AT+QIOPEN "UDP" and "UDP SERVICE" on the host. A UDP SERVICE may send to IPv4 and IPv6 peers, so it
 * keeps one host socket per family, the second created on first use.
 */
export class UdpTransport implements Transport {
  private readonly sockets = new Map<SocketType, Socket>();
  private readonly taps = new Map<Socket, ConnectionTap>();

  private constructor(
    private readonly options: UdpOpenOptions,
    private readonly events: TransportEvents,
  ) {}

  static async open(options: UdpOpenOptions, events: TransportEvents): Promise<UdpTransport> {
    const transport = new UdpTransport(options, events);
    const type: SocketType = options.peer && isIP(options.peer.address) === 6 ? 'udp6' : 'udp4';
    const socket = await transport.socketFor(type);
    if (options.peer) {
      const peer = options.peer;
      await new Promise<void>((resolve) => socket.connect(peer.port, peer.address, () => resolve()));
    }
    return transport;
  }

  get unacked(): number {
    return 0;
  }

  get localPort(): number {
    const first = this.sockets.values().next().value;
    return first ? first.address().port : 0;
  }

  async send(data: Buffer, to?: Endpoint): Promise<boolean> {
    const target = to ?? this.options.peer;
    if (!target) throw new Error('no destination');
    const type: SocketType = isIP(target.address) === 6 ? 'udp6' : 'udp4';
    const socket = await this.socketFor(type);
    const send = () =>
      new Promise<void>((resolve, reject) => {
        const done = (err: Error | null) => (err ? reject(err) : resolve());
        this.taps.get(socket)?.sent(data, target);
        hostDatagramSent(socket.address().port, target.port, data.length);
        if (this.options.peer) socket.send(data, done);
        else socket.send(data, target.port, target.address, done);
      });
    const { link } = this.options;
    if (!link) {
      await send();
      return true;
    }
    // A datagram the link loses is still "sent" as far as the modem can tell.
    if (!link.up.loses()) link.up.carry(data.length, () => void send().catch(() => undefined));
    return true;
  }

  async close(): Promise<void> {
    this.destroy();
  }

  destroy(): void {
    this.options.link?.stop();
    for (const socket of this.sockets.values()) {
      try {
        socket.close();
      } catch {
        // already closed
      }
    }
    this.sockets.clear();
  }

  private async socketFor(type: SocketType): Promise<Socket> {
    const existing = this.sockets.get(type);
    if (existing) return existing;
    const port = this.sockets.size === 0 ? this.options.localPort : 0;
    const { socket, tap } = await bind(
      type,
      port,
      this.options.loopbackOnly,
      this.events,
      this.options.link,
      this.options.peer,
    );
    this.sockets.set(type, socket);
    if (tap) this.taps.set(socket, tap);
    return socket;
  }
}
