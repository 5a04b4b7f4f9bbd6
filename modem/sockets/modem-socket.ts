import type { Logger } from '../../shared/log.ts';
import { AirMeter } from '../air/air-meter.ts';
import type { ResponseLine } from '../at/response.ts';
import type { ClosedUrcPolicy } from '../modem-options.ts';
import { ReceiveBuffer } from './receive-buffer.ts';
import type { Endpoint, Transport, TransportEvents } from './transport.ts';

/** `<service_type>` of AT+QIOPEN, plus the SSL client of AT+QSSLOPEN. */
export type ServiceType = 'TCP' | 'UDP' | 'UDP SERVICE' | 'SSLClient';

/** `<socket_state>` of AT+QISTATE. */
export const SOCKET_STATE = { initial: 0, opening: 1, connected: 2, listening: 3, closing: 4 } as const;
export type SocketState = (typeof SOCKET_STATE)[keyof typeof SOCKET_STATE];

/** `<access_mode>`: 0 buffer (pull with QIRD), 1 direct push (data inside the URC). */
export type AccessMode = 0 | 1;

export interface SocketInfo {
  readonly id: number;
  /** Which command family owns it: QI* or QSSL* (they share the 12 ids). */
  readonly family: 'qi' | 'ssl';
  readonly contextId: number;
  readonly service: ServiceType;
  /** The address or name as the MCU wrote it. */
  readonly remoteHost: string;
  readonly remotePort: number;
  readonly localPort: number;
  readonly accessMode: AccessMode;
  readonly sslContextId?: number;
}

/** What a socket reports to: the URC queue, the modem log, and the closed-URC policy. */
export interface SocketHooks {
  urc(...lines: ResponseLine[]): void;
  readonly log: Logger;
  readonly closedPolicy: ClosedUrcPolicy;
  /** The socket is gone from the table (closed or dropped): its air figures are final. */
  finished?(socket: ModemSocket): void;
}

/** Largest payload of one direct-push URC (matches the AT+QIRD maximum). */
const PUSH_CHUNK = 1500;

/**
 * One of the modem's 12 sockets as the AT side sees it: state, receive buffer, counters, and the URC
 * rules. Buffer mode: "recv" once when data arrives into an empty buffer, not again until the buffer
 * has been read empty. "closed" per the ClosedUrcPolicy.
 */
export class ModemSocket implements TransportEvents {
  state: SocketState = SOCKET_STATE.opening;
  readonly rx = new ReceiveBuffer();
  totalSent = 0;
  private transport?: Transport;
  private closedUrcPending = false;
  private peerClosed = false;
  /** Bytes (and a close) that arrived between the host open and the open URC. */
  private early: { bytes: Buffer; from?: Endpoint }[] = [];
  private earlyClose: string | undefined;
  private finished = false;
  /** The path went dead (a server-silent-drop event): nothing arrives, sends vanish. */
  private pathDead = false;
  /**
   * What the connection moved over the air. A QI socket's host bytes are what the network carries; an
   * SSL client's are plaintext, so its TLS transport meters the encrypted stream instead (openTls).
   */
  readonly air: AirMeter;
  private readonly meterHostBytes: boolean;

  constructor(
    readonly info: SocketInfo,
    private readonly hooks: SocketHooks,
  ) {
    this.air = new AirMeter(info.service === 'UDP' || info.service === 'UDP SERVICE' ? 'udp' : 'tcp');
    this.meterHostBytes = info.family === 'qi';
  }

  get urcName(): string {
    return this.info.family === 'ssl' ? '+QSSLURC' : '+QIURC';
  }

  get connected(): boolean {
    return this.state === SOCKET_STATE.connected;
  }

  /** The host socket's real local port (reported when the MCU asked for 0). */
  get hostLocalPort(): number {
    return this.transport?.localPort ?? 0;
  }

  get unacked(): number {
    return this.transport?.unacked ?? 0;
  }

  /** The opened transport. The caller then writes the open URC and calls `announce()`. */
  attach(transport: Transport): void {
    this.transport = transport;
    if (this.meterHostBytes) this.air.connected();
  }

  /**
   * After the open URC: the socket is connected, and anything that arrived with the handshake (a
   * server that speaks first) is reported now, so "recv" never precedes +QIOPEN/+QSSLOPEN.
   */
  announce(): void {
    this.state = SOCKET_STATE.connected;
    const early = this.early;
    this.early = [];
    for (const { bytes, from } of early) this.data(bytes, from);
    if (this.earlyClose !== undefined) this.closed(this.earlyClose);
  }

  /** Sends on the transport and counts; false = buffer full (SEND FAIL). Throws when broken. */
  async send(data: Buffer, to?: Endpoint): Promise<boolean> {
    if (!this.transport || !this.connected) return false;
    if (this.pathDead) {
      // The modem's stack takes the bytes; the dead path loses them, and nothing ever says so.
      this.totalSent += data.length;
      return true;
    }
    const accepted = await this.transport.send(data, to);
    if (accepted) {
      this.totalSent += data.length;
      if (this.meterHostBytes) this.air.sent(data);
    }
    return accepted;
  }

  data(bytes: Buffer, from?: Endpoint): void {
    if (this.pathDead) return;
    if (this.state === SOCKET_STATE.opening) {
      this.early.push({ bytes, from });
      return;
    }
    if (this.state !== SOCKET_STATE.connected) return;
    if (this.meterHostBytes) this.air.received(bytes);
    if (this.info.accessMode === 1) {
      this.push(bytes, from);
      return;
    }
    if (this.rx.push(bytes, from)) this.hooks.urc(`${this.urcName}: "recv",${this.info.id}`);
  }

  closed(reason: string): void {
    if (this.pathDead) return; // neither FIN nor RST crosses a dead path
    if (this.state === SOCKET_STATE.opening) {
      this.earlyClose ??= reason;
      return;
    }
    if (this.peerClosed || this.state !== SOCKET_STATE.connected) return;
    this.peerClosed = true;
    this.air.ended();
    this.state = SOCKET_STATE.closing;
    this.hooks.log.info(`socket ${this.info.id}: ${reason} (${this.rx.unread} bytes unread)`);
    if (this.hooks.closedPolicy === 'immediate' || this.rx.empty) this.sendClosedUrc();
    else this.closedUrcPending = true;
  }

  readStream(max: number): Buffer {
    const data = this.rx.readStream(max);
    this.afterRead();
    return data;
  }

  readDatagram(max: number) {
    const chunk = this.rx.readDatagram(max);
    this.afterRead();
    return chunk;
  }

  /** AT+QICLOSE: graceful close bounded by `timeoutMs`. No URC: the host asked for it. */
  async close(timeoutMs: number): Promise<void> {
    this.state = SOCKET_STATE.initial;
    this.closedUrcPending = false;
    // On a dead path no FIN is ever acknowledged: dropped at once (docs/deviations.md, "Modem").
    if (this.pathDead) this.transport?.destroy();
    else await this.transport?.close(timeoutMs);
    this.finish();
  }

  /**
   * A server-reset event: the peer's RST ends the connection. The host socket goes at once; the modem
   * reports "closed" as for any connection the network ended (data already buffered stays readable).
   */
  resetByPeer(): void {
    if (this.state !== SOCKET_STATE.connected) return;
    this.transport?.destroy();
    this.closed('connection reset by peer');
  }

  /** A server-silent-drop event: from now on the path loses everything, both ways, without a word. */
  cutOff(): void {
    this.pathDead = true;
  }

  /** Context loss or modem reset: drop at once, no URC. */
  destroy(): void {
    this.state = SOCKET_STATE.initial;
    this.closedUrcPending = false;
    this.transport?.destroy();
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.air.ended();
    this.hooks.finished?.(this);
  }

  private afterRead(): void {
    if (this.closedUrcPending && this.rx.empty) {
      this.closedUrcPending = false;
      this.sendClosedUrc();
    }
  }

  private sendClosedUrc(): void {
    this.hooks.urc(`${this.urcName}: "closed",${this.info.id}`);
  }

  /** Direct push: the data rides in the URC itself. */
  private push(bytes: Buffer, from?: Endpoint): void {
    for (let at = 0; at < bytes.length; at += PUSH_CHUNK) {
      const part = bytes.subarray(at, at + PUSH_CHUNK);
      this.rx.totalReceived += part.length;
      this.rx.haveRead += part.length;
      const head = `${this.urcName}: "recv",${this.info.id},${part.length}`;
      this.hooks.urc(
        from && this.info.service === 'UDP SERVICE' ? `${head},"${from.address}",${from.port}` : head,
        part,
      );
    }
  }
}
