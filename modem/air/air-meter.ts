// What one modem connection costs over the air: the bytes its host socket moved, sorted into TLS
// handshake, application data and alerts, plus an estimate of the IPv4 and TCP/UDP headers a cellular
// link would carry for them. The rule (docs/costs.md, "Bytes over the air"):
//   * TCP: 3 segments to open (SYN, SYN-ACK, ACK) and 4 to close (FIN, ACK each way); each host write or
//     read of n payload bytes is ceil(n / 1460) segments; every segment carries 20 + 20 header bytes.
//     Pure ACKs of data segments are not counted (their number depends on the peer's delayed-ACK policy).
//   * UDP: one datagram per host send or receive, 20 + 8 header bytes each.
import {
  type AirCategory,
  type CategoryBytes,
  classifyDatagram,
  emptyCategoryBytes,
  TlsStreamClassifier,
} from './tls-record-classifier.ts';

export const IPV4_HEADER_BYTES = 20;
export const TCP_HEADER_BYTES = 20;
export const UDP_HEADER_BYTES = 8;
/** The usual TCP MSS on a 1500-byte MTU path (1500 − 20 − 20). */
export const TCP_MSS = 1460;

export type AirProtocol = 'tcp' | 'udp';

export interface AirDirection extends Record<AirCategory, number> {
  /** payload bytes (TCP/UDP payload: TLS records, or plain data) */
  payloadBytes: number;
  /** IPv4 + TCP/UDP headers, by the rule above */
  headerBytes: number;
  /** segments or datagrams */
  packets: number;
}

export interface AirReport {
  protocol: AirProtocol;
  up: AirDirection;
  down: AirDirection;
  /** the modem's own TLS handshake on this connection (offload mode), if it ran one */
  modemHandshake: 'full' | 'resumed' | null;
}

class DirectionMeter {
  private readonly stream = new TlsStreamClassifier();
  private readonly datagrams: CategoryBytes = emptyCategoryBytes();
  payloadBytes = 0;
  packets = 0;

  constructor(private readonly protocol: AirProtocol) {}

  chunk(bytes: Uint8Array): void {
    this.payloadBytes += bytes.length;
    if (this.protocol === 'tcp') {
      this.packets += Math.max(1, Math.ceil(bytes.length / TCP_MSS));
      this.stream.push(bytes);
    } else {
      this.packets += 1;
      classifyDatagram(bytes, this.datagrams);
    }
  }

  /** Segments without payload (SYN, FIN, their ACKs). */
  control(count: number): void {
    this.packets += count;
  }

  report(): AirDirection {
    const categories = this.protocol === 'tcp' ? this.stream.bytes : this.datagrams;
    const transportHeader = this.protocol === 'tcp' ? TCP_HEADER_BYTES : UDP_HEADER_BYTES;
    return {
      ...categories,
      payloadBytes: this.payloadBytes,
      headerBytes: this.packets * (IPV4_HEADER_BYTES + transportHeader),
      packets: this.packets,
    };
  }
}

export class AirMeter {
  private readonly up: DirectionMeter;
  private readonly down: DirectionMeter;
  private opened = false;
  private closed = false;
  private handshake: AirReport['modemHandshake'] = null;

  constructor(readonly protocol: AirProtocol) {
    this.up = new DirectionMeter(protocol);
    this.down = new DirectionMeter(protocol);
  }

  /** The TCP three-way handshake completed. */
  connected(): void {
    if (this.protocol !== 'tcp' || this.opened) return;
    this.opened = true;
    this.up.control(2); // SYN, ACK
    this.down.control(1); // SYN-ACK
  }

  sent(bytes: Uint8Array): void {
    if (bytes.length > 0) this.up.chunk(bytes);
  }

  received(bytes: Uint8Array): void {
    if (bytes.length > 0) this.down.chunk(bytes);
  }

  /** The connection ended (FIN exchange for TCP); counted once. */
  ended(): void {
    if (this.protocol !== 'tcp' || !this.opened || this.closed) return;
    this.closed = true;
    this.up.control(2); // FIN, ACK of the peer's FIN
    this.down.control(2);
  }

  /** The modem completed its own TLS handshake on this connection (AT+QSSLOPEN). */
  modemHandshakeCompleted(resumed: boolean): void {
    this.handshake = resumed ? 'resumed' : 'full';
  }

  report(): AirReport {
    return {
      protocol: this.protocol,
      up: this.up.report(),
      down: this.down.report(),
      modemHandshake: this.handshake,
    };
  }
}
