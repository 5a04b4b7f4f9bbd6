// One recorded TCP connection (network.jsonl) as the segments a capture on the modem's network side
// would hold: the three-way handshake at the connect, each chunk cut into segments of at most one MSS
// with the sequence and acknowledgement numbers both ends keep, an ACK from the receiver for each chunk,
// and a FIN (with its ACK) for each direction's close. Host sockets only tell tlssim what moved, not
// the kernel's real segments, so this is the capture of an idealised TCP carrying the same bytes in
// the same order at the same times (the same rule as modem/air/air-meter.ts counts packets by).
import { type Ipv4Ends, TCP_FLAG, tcpPacket } from './ip-packets.ts';

/** The usual TCP MSS on a 1500-byte MTU path (modem/air/air-meter.ts, TCP_MSS). */
export const TCP_MSS = 1460;

export interface FlowPacket {
  timeMs: number;
  data: Buffer;
  /** true: modem → network */
  up: boolean;
}

interface Side {
  ip: string;
  port: number;
  /** the next sequence number this side sends */
  next: number;
  finSent: boolean;
}

/** Initial sequence numbers from the connection number: stable across conversions of one run. */
function isn(conn: number, side: number): number {
  return ((conn * 0x9e3779b1 + side * 0x7f4a7c15) >>> 0) & 0x7fffffff;
}

export class TcpFlow {
  private readonly modem: Side;
  private readonly peer: Side;
  readonly packets: FlowPacket[] = [];

  constructor(
    conn: number,
    local: { address: string; port: number },
    remote: { address: string; port: number },
    opened: number,
  ) {
    this.modem = { ip: local.address, port: local.port, next: isn(conn, 1), finSent: false };
    this.peer = { ip: remote.address, port: remote.port, next: isn(conn, 2), finSent: false };
    this.segment(opened, true, TCP_FLAG.SYN, undefined, 1);
    this.segment(opened, false, TCP_FLAG.SYN | TCP_FLAG.ACK, undefined, 1);
    this.segment(opened, true, TCP_FLAG.ACK);
  }

  /** A chunk one side wrote: MSS-sized segments, PSH on the last, then the other side's ACK. */
  data(timeMs: number, up: boolean, bytes: Uint8Array): void {
    for (let offset = 0; offset < bytes.length; offset += TCP_MSS) {
      const piece = bytes.subarray(offset, offset + TCP_MSS);
      const last = offset + TCP_MSS >= bytes.length;
      this.segment(timeMs, up, TCP_FLAG.ACK | (last ? TCP_FLAG.PSH : 0), piece, piece.length);
    }
    this.segment(timeMs, !up, TCP_FLAG.ACK);
  }

  /** One side's FIN and the other's ACK of it (once per side). */
  fin(timeMs: number, up: boolean): void {
    const side = up ? this.modem : this.peer;
    if (side.finSent) return;
    side.finSent = true;
    this.segment(timeMs, up, TCP_FLAG.FIN | TCP_FLAG.ACK, undefined, 1);
    this.segment(timeMs, !up, TCP_FLAG.ACK);
  }

  /** The socket is gone: a direction that never closed is closed now, so every flow ends complete. */
  close(timeMs: number): void {
    this.fin(timeMs, true);
    this.fin(timeMs, false);
  }

  private segment(timeMs: number, up: boolean, flags: number, payload?: Uint8Array, advance = 0): void {
    const from = up ? this.modem : this.peer;
    const to = up ? this.peer : this.modem;
    const ends: Ipv4Ends = { src: from.ip, dst: to.ip };
    const data = tcpPacket(ends, {
      srcPort: from.port,
      dstPort: to.port,
      seq: from.next,
      ack: to.next,
      flags,
      payload,
    });
    from.next = (from.next + advance) >>> 0;
    this.packets.push({ timeMs, data, up });
  }
}
