// Byte counts of the host sockets between the modem and the lab, kept on both ends: the modem keeps its
// connections' (the client side), the runner its lab servers' (the server side). The time coordinator
// compares the two ends of each connection: while a byte one end sent has not been read by the other,
// it is in flight and simulated time may not move (docs/simulated-time.md). A connection is named by
// its two loopback ports, "<client port>><server port>", which both ends can say.
import type { Socket } from 'node:net';
import type { SocketCounts } from './sim-messages.ts';

type Side = 'client' | 'server';

interface StreamEntry {
  socket: Socket;
  /** closed counts, frozen at the close (a closed socket may forget its ports) */
  final?: SocketCounts;
}

interface DatagramEntry {
  sent: number;
  received: number;
  closed: boolean;
}

/** Closed connections remembered for the other end to catch up with (a soak opens thousands). */
const CLOSED_KEPT = 4096;

export function streamKey(clientPort: number, serverPort: number): string {
  return `${clientPort}>${serverPort}`;
}

export function datagramKey(clientPort: number, serverPort: number): string {
  return `u${clientPort}>${serverPort}`;
}

export class SocketLedger {
  private readonly streams = new Map<string, StreamEntry>();
  private readonly datagrams = new Map<string, DatagramEntry>();
  /** closed entries already reported once (the client side drops them after that) */
  private readonly reportedClosed = new Set<string>();

  constructor(
    private readonly side: Side,
    /** hears every byte that arrives (the modem's simulated-time part reports after it) */
    private readonly onActivity: () => void = () => undefined,
  ) {}

  /** A connected TCP socket (a client's after 'connect', a server's on accept). */
  trackStream(socket: Socket): void {
    const local = socket.localPort ?? 0;
    const remote = socket.remotePort ?? 0;
    if (!local || !remote) return;
    const key = this.side === 'client' ? streamKey(local, remote) : streamKey(remote, local);
    const entry: StreamEntry = { socket };
    this.streams.set(key, entry);
    this.reportedClosed.delete(key);
    if (this.side === 'client') {
      socket.on('data', this.onActivity);
      socket.on('end', this.onActivity);
    }
    socket.once('close', () => {
      entry.final = { ...this.streamCounts(key, socket), closed: true };
      this.onActivity();
      this.pruneClosed();
    });
  }

  /** A socket is destroyed but its 'close' has not come yet: its owner still has work to do. */
  settling(): boolean {
    for (const entry of this.streams.values()) if (!entry.final && entry.socket.destroyed) return true;
    return false;
  }

  datagramSent(localPort: number, remotePort: number, bytes: number): void {
    this.datagram(localPort, remotePort).sent += bytes;
  }

  datagramReceived(localPort: number, remotePort: number, bytes: number): void {
    this.datagram(localPort, remotePort).received += bytes;
    this.onActivity();
  }

  /** The socket on `localPort` closed: what is sent to it from now on is never read. */
  datagramSocketClosed(localPort: number): void {
    for (const [key, entry] of this.datagrams) if (this.ownPortOf(key) === localPort) entry.closed = true;
    this.onActivity();
  }

  get(key: string): SocketCounts | undefined {
    const stream = this.streams.get(key);
    if (stream) return stream.final ?? this.streamCounts(key, stream.socket);
    const datagram = this.datagrams.get(key);
    return datagram ? { key, ...datagram, paused: false } : undefined;
  }

  /**
   * Every connection's counts. The client side reports a closed connection once more after it closed,
   * then forgets it (the coordinator remembers it until the server end has read everything).
   */
  counts(): SocketCounts[] {
    const out: SocketCounts[] = [];
    for (const key of [...this.streams.keys(), ...this.datagrams.keys()]) {
      const counts = this.get(key);
      if (!counts) continue;
      out.push(counts);
      if (this.side === 'client' && counts.closed) {
        if (this.reportedClosed.has(key)) this.forget(key);
        else this.reportedClosed.add(key);
      }
    }
    return out;
  }

  /**
   * A FIN or a reset moves no byte but is as much in flight: each end counts its own end of the stream
   * as one more byte sent (it ended or destroyed its side) and the peer's as one more received (it read
   * the end, or destroyed its side). Under a TLS server the raw socket shows only its destruction.
   */
  private streamCounts(key: string, socket: Socket): SocketCounts {
    const gone = socket.destroyed ? 1 : 0;
    return {
      key,
      sent: socket.bytesWritten + (socket.writableEnded ? 1 : gone),
      received: socket.bytesRead + (socket.readableEnded ? 1 : gone),
      paused: socket.readableFlowing === false,
      // The client's socket counts as closed once its 'close' came (entry.final), not when destroyed: the
      // owner acts on 'close' (the modem answers AT+QICLOSE then), in a later phase of the event loop.
      closed: this.side === 'server' && socket.destroyed,
    };
  }

  private datagram(localPort: number, remotePort: number): DatagramEntry {
    const key =
      this.side === 'client' ? datagramKey(localPort, remotePort) : datagramKey(remotePort, localPort);
    let entry = this.datagrams.get(key);
    if (!entry) {
      entry = { sent: 0, received: 0, closed: false };
      this.datagrams.set(key, entry);
      this.pruneDatagrams();
    }
    return entry;
  }

  private ownPortOf(key: string): number {
    const [client, server] = key.replace(/^u/, '').split('>').map(Number);
    return (this.side === 'client' ? client : server) ?? 0;
  }

  /** Forgets a connection both ends are done with (a later one may reuse its ports). */
  forget(key: string): void {
    this.streams.delete(key);
    this.datagrams.delete(key);
    this.reportedClosed.delete(key);
  }

  private pruneDatagrams(): void {
    if (this.datagrams.size <= CLOSED_KEPT) return;
    for (const key of this.datagrams.keys()) {
      if (this.datagrams.size <= CLOSED_KEPT) break;
      this.datagrams.delete(key);
    }
  }

  private pruneClosed(): void {
    // Cheap for every close: only a ledger over its bound is walked.
    if (this.streams.size <= CLOSED_KEPT) return;
    let closed = 0;
    for (const entry of this.streams.values()) if (entry.final) closed++;
    if (closed <= CLOSED_KEPT) return;
    for (const [key, entry] of this.streams) {
      if (closed <= CLOSED_KEPT) break;
      if (entry.final) {
        this.streams.delete(key);
        closed--;
      }
    }
  }
}
