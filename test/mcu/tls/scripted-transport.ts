// A Socket for unit tests whose behaviour the test scripts. It is backed by a real Node `net` connection on
// loopback and keeps TCPSocket's semantics (connectivity/netsocket/source/TCPSocket.cpp and
// InternetSocket.cpp; the Socket contract in include/netsocket/Socket.h): connect/send/recv loops over
// non-blocking attempts, waits bounded by the socket timeout, WOULD_BLOCK when a wait times out, and sigio
// gated as InternetSocket gates it (at most one callback per operation window). The knobs recreate what Mbed
// OS's unit tests (connectivity/netsocket/tests/UNITTESTS/) got from stubs: few bytes per call, stalls,
// chosen error codes, a flipped byte, while the bytes themselves come from real peers.
import net from 'node:net';
import { EventFlags } from '../../../mcu/netsocket/event-flags.ts';
import { READ_FLAG, type Socket, WRITE_FLAG } from '../../../mcu/netsocket/socket.ts';
import {
  NSAPI_ERROR_ALREADY,
  NSAPI_ERROR_IN_PROGRESS,
  NSAPI_ERROR_IS_CONNECTED,
  NSAPI_ERROR_NO_CONNECTION,
  NSAPI_ERROR_NO_SOCKET,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_UNSUPPORTED,
  NSAPI_ERROR_WOULD_BLOCK,
} from '../../../shared/nsapi.ts';
import { SocketAddress } from '../../../shared/socket-address.ts';

export interface ScriptedTransportOptions {
  /** false: like a TCPSocket that was never opened, every call NO_SOCKET. Default true. */
  opened?: boolean;
  /** Most bytes one recv attempt returns (1 = one byte at a time). Default: as many as asked for. */
  recvChunk?: number;
  /** Most bytes one send attempt takes. Default: all. */
  sendChunk?: number;
}

/** Which operations a stall holds back: they answer WOULD_BLOCK (connect: IN_PROGRESS/ALREADY). */
export interface StallSet {
  connect: boolean;
  send: boolean;
  recv: boolean;
}

export interface SockoptCall {
  level: number;
  optname: number;
  optval: Uint8Array | null;
}

type ConnectionState = 'idle' | 'connecting' | 'connected' | 'failed';

const LOOPBACK = new Set(['127.0.0.1', '::1']);

export class ScriptedTransport implements Socket {
  recvChunk: number;
  sendChunk: number;
  /** While set, connect answers this code at once and never touches the network. */
  connectResult: number | null = null;
  /** Results for the next send / recv attempts, in order (consumed one per attempt). */
  readonly sendResults: number[] = [];
  readonly recvResults: number[] = [];
  /**
   * What send and recv answer once the peer reset the connection (lwIP maps ERR_RST so:
   * connectivity/lwipstack/source/lwip_tools.cpp).
   */
  resetCode = NSAPI_ERROR_NO_CONNECTION;
  bindResult = NSAPI_ERROR_OK;
  /** setsockopt/getsockopt answer: the NetworkStack default. */
  sockoptResult = NSAPI_ERROR_UNSUPPORTED;
  closeResult = NSAPI_ERROR_OK;
  /**
   * Every n-th send or recv attempt answers WOULD_BLOCK although it could proceed, and the transport
   * signals a moment later: a stack that is busy now and then (null: never).
   */
  hiccupEvery: number | null = null;
  /** Attempts answered WOULD_BLOCK because of a stall or a hiccup. */
  stalledAttempts = 0;

  /** What reached this transport, for assertions on the wrapper's calls. */
  readonly calls = {
    connect: 0,
    close: 0,
    bind: [] as SocketAddress[],
    setsockopt: [] as SockoptCall[],
    getsockopt: [] as SockoptCall[],
    /** every set_timeout / set_blocking, as the timeout it sets (-1 = blocking) */
    timeouts: [] as number[],
  };
  /** Bytes written to the wire, and bytes handed to callers of recv. */
  readonly sent: Buffer[] = [];
  readonly received: Buffer[] = [];
  /** User sigio callbacks fired. */
  sigioCount = 0;

  private opened: boolean;
  private state: ConnectionState = 'idle';
  private failure = NSAPI_ERROR_NO_CONNECTION;
  private socket: net.Socket | null = null;
  private readonly peer = new SocketAddress();
  private inbound: Buffer[] = [];
  private inboundOffset = 0;
  private readonly corruptOffsets = new Set<number>();
  private eof = false;
  private reset = false;
  private stalls: StallSet = { connect: false, send: false, recv: false };
  private timeout = -1;
  private readonly flags = new EventFlags();
  private callback: (() => void) | null = null;
  private pending = 0;
  private dataAttempts = 0;
  private held: Array<() => void> | null = null;

  constructor(options: ScriptedTransportOptions = {}) {
    this.opened = options.opened ?? true;
    this.recvChunk = options.recvChunk ?? Number.POSITIVE_INFINITY;
    this.sendChunk = options.sendChunk ?? Number.POSITIVE_INFINITY;
  }

  // ---- knobs ---------------------------------------------------------------------------------------

  /** Holds back the given operations (all by default) until release(). */
  stall(which: Partial<StallSet> = { connect: true, send: true, recv: true }): void {
    this.stalls = { ...this.stalls, ...which };
  }

  /** Ends every stall and every hold, and signals, as a stack does when it can make progress again. */
  release(): void {
    this.stalls = { connect: false, send: false, recv: false };
    this.letGo();
    this.event();
  }

  /**
   * From now on send and recv do not return until letGo(): a transport call in flight, as a synchronous AT
   * exchange on a device is (a stall answers WOULD_BLOCK at once instead).
   */
  hold(): void {
    this.held ??= [];
  }

  /** Lets the held calls go on, and ends the hold. */
  letGo(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const go of held) go();
  }

  /** Calls waiting in a hold. */
  get heldCalls(): number {
    return this.held?.length ?? 0;
  }

  /** Flips (XOR 0xFF) the inbound byte at this offset of the whole received stream when it arrives. */
  corruptInboundAt(offset: number): void {
    this.corruptOffsets.add(offset);
  }

  /** Bytes that arrived from the network so far (delivered or queued). */
  get inboundBytes(): number {
    return this.inboundOffset;
  }

  /** Bytes arrived and not yet taken by recv. */
  get queuedBytes(): number {
    return this.inbound.reduce((sum, chunk) => sum + chunk.length, 0);
  }

  /** A spurious stack event, as Socket::sigio() allows (include/netsocket/Socket.h). */
  signal(): void {
    this.event();
  }

  /** Test cleanup: drops the connection without ceremony. */
  dispose(): void {
    this.socket?.destroy();
  }

  // ---- Socket ----------------------------------------------------------------------------------------

  async connect(address: SocketAddress): Promise<number> {
    this.calls.connect++;
    let ret: number;
    let waited = false;
    for (;;) {
      this.pending = 0;
      ret = this.connectAttempt(address);
      if (this.timeout === 0 || !(ret === NSAPI_ERROR_IN_PROGRESS || ret === NSAPI_ERROR_ALREADY)) break;
      waited = true;
      if (!(await this.wait(WRITE_FLAG))) break;
    }
    if (ret === NSAPI_ERROR_IS_CONNECTED && waited) ret = NSAPI_ERROR_OK;
    if (ret === NSAPI_ERROR_OK || ret === NSAPI_ERROR_IN_PROGRESS) {
      this.peer.set_addr(address.get_addr());
      this.peer.set_port(address.get_port());
    }
    return ret;
  }

  async send(data: Uint8Array): Promise<number> {
    await this.heldUntilLetGo();
    let written = 0;
    let ret: number;
    do {
      this.pending = 0;
      ret = this.sendAttempt(data.subarray(written));
      if (ret >= 0) {
        written += ret;
        if (written >= data.length) break;
      }
      if (this.timeout === 0) break;
      if (ret === NSAPI_ERROR_WOULD_BLOCK) {
        if (!(await this.wait(WRITE_FLAG))) break;
      } else if (ret < 0) {
        break;
      }
    } while (written < data.length);
    if (ret <= 0 && ret !== NSAPI_ERROR_WOULD_BLOCK) return ret;
    return written === 0 ? NSAPI_ERROR_WOULD_BLOCK : written;
  }

  async recv(buffer: Uint8Array): Promise<number> {
    await this.heldUntilLetGo();
    for (;;) {
      this.pending = 0;
      const ret = this.recvAttempt(buffer);
      if (this.timeout === 0 || ret !== NSAPI_ERROR_WOULD_BLOCK) return ret;
      if (!(await this.wait(READ_FLAG))) return NSAPI_ERROR_WOULD_BLOCK;
    }
  }

  sendto(_address: SocketAddress, data: Uint8Array): Promise<number> {
    return this.send(data);
  }

  recvfrom(address: SocketAddress | null, buffer: Uint8Array): Promise<number> {
    if (address && this.opened) {
      address.set_addr(this.peer.get_addr());
      address.set_port(this.peer.get_port());
    }
    return this.recv(buffer);
  }

  async close(): Promise<number> {
    if (!this.opened) return NSAPI_ERROR_NO_SOCKET;
    this.calls.close++;
    this.opened = false;
    const socket = this.socket;
    // FIN after whatever is still queued, then let go of the handle.
    socket?.end(() => socket.destroy());
    this.event();
    return this.closeResult;
  }

  async bind(address: SocketAddress | number): Promise<number> {
    if (!this.opened) return NSAPI_ERROR_NO_SOCKET;
    this.calls.bind.push(typeof address === 'number' ? new SocketAddress(null, address) : address);
    return this.bindResult;
  }

  set_blocking(blocking: boolean): void {
    this.set_timeout(blocking ? -1 : 0);
  }

  set_timeout(timeoutMs: number): void {
    this.timeout = timeoutMs >= 0 ? timeoutMs : -1;
    this.calls.timeouts.push(this.timeout);
  }

  /** The timeout the socket now has (-1 = blocking). */
  get_timeout(): number {
    return this.timeout;
  }

  sigio(callback: (() => void) | null): void {
    this.callback = callback;
  }

  async setsockopt(level: number, optname: number, optval: Uint8Array | null): Promise<number> {
    if (!this.opened) return NSAPI_ERROR_NO_SOCKET;
    this.calls.setsockopt.push({ level, optname, optval: optval?.slice() ?? null });
    return this.sockoptResult;
  }

  async getsockopt(level: number, optname: number, optval: Uint8Array): Promise<number> {
    if (!this.opened) return NSAPI_ERROR_NO_SOCKET;
    this.calls.getsockopt.push({ level, optname, optval });
    return this.sockoptResult;
  }

  async accept(): Promise<{ socket: Socket | null; error: number }> {
    return { socket: null, error: NSAPI_ERROR_UNSUPPORTED };
  }

  async listen(_backlog = 1): Promise<number> {
    return NSAPI_ERROR_UNSUPPORTED;
  }

  getpeername(address: SocketAddress): number {
    if (!this.opened) return NSAPI_ERROR_NO_SOCKET;
    if (!this.peer.isValid()) return NSAPI_ERROR_NO_CONNECTION;
    address.set_addr(this.peer.get_addr());
    address.set_port(this.peer.get_port());
    return NSAPI_ERROR_OK;
  }

  // ---- one non-blocking attempt each (the NetworkStack level) ------------------------------------------

  private connectAttempt(address: SocketAddress): number {
    if (!this.opened) return NSAPI_ERROR_NO_SOCKET;
    if (this.connectResult !== null) return this.connectResult;
    switch (this.state) {
      case 'connected':
        return this.stalls.connect ? NSAPI_ERROR_ALREADY : NSAPI_ERROR_IS_CONNECTED;
      case 'connecting':
        return NSAPI_ERROR_ALREADY;
      case 'failed':
        this.state = 'idle';
        return this.failure;
      case 'idle':
        break;
    }
    const host = address.get_ip_address();
    if (!address.isValid() || host === null) return NSAPI_ERROR_NO_CONNECTION;
    if (!LOOPBACK.has(host)) throw new Error(`ScriptedTransport connects to loopback only, not ${host}`);
    this.openConnection(host, address.get_port());
    return NSAPI_ERROR_IN_PROGRESS;
  }

  private sendAttempt(data: Uint8Array): number {
    if (!this.opened) return NSAPI_ERROR_NO_SOCKET;
    if (this.stalls.send || this.hiccup()) return this.stalled();
    const scripted = this.sendResults.shift();
    if (scripted !== undefined) return scripted;
    if (this.state !== 'connected' || !this.socket) return NSAPI_ERROR_NO_CONNECTION;
    if (this.reset) return this.resetCode;
    const n = Math.min(data.length, this.sendChunk);
    if (n === 0) return 0;
    const bytes = Buffer.from(data.subarray(0, n));
    this.sent.push(bytes);
    this.socket.write(bytes);
    return n;
  }

  private recvAttempt(buffer: Uint8Array): number {
    if (!this.opened) return NSAPI_ERROR_NO_SOCKET;
    if (this.stalls.recv || this.hiccup()) return this.stalled();
    const scripted = this.recvResults.shift();
    if (scripted !== undefined) return scripted;
    if (this.inbound.length > 0) return this.take(buffer);
    if (this.reset) return this.resetCode;
    if (this.eof) return 0;
    if (this.state !== 'connected') return NSAPI_ERROR_NO_CONNECTION;
    return NSAPI_ERROR_WOULD_BLOCK;
  }

  private async heldUntilLetGo(): Promise<void> {
    const held = this.held;
    if (held) await new Promise<void>((go) => held.push(go));
  }

  private hiccup(): boolean {
    if (this.hiccupEvery === null || ++this.dataAttempts % this.hiccupEvery !== 0) return false;
    setTimeout(() => this.event(), 1);
    return true;
  }

  private stalled(): number {
    this.stalledAttempts++;
    return NSAPI_ERROR_WOULD_BLOCK;
  }

  private take(buffer: Uint8Array): number {
    let n = 0;
    const limit = Math.min(buffer.length, this.recvChunk);
    while (n < limit && this.inbound.length > 0) {
      const chunk = this.inbound[0];
      const part = chunk.subarray(0, limit - n);
      buffer.set(part, n);
      n += part.length;
      if (part.length === chunk.length) this.inbound.shift();
      else this.inbound[0] = chunk.subarray(part.length);
    }
    this.received.push(Buffer.from(buffer.subarray(0, n)));
    return n;
  }

  // ---- the real connection ------------------------------------------------------------------------------

  private openConnection(host: string, port: number): void {
    this.state = 'connecting';
    // Half-open allowed: the peer's FIN is an EOF for recv, and this side may still send (real TCP).
    const socket = net.connect({ host, port, allowHalfOpen: true });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => {
      this.state = 'connected';
      this.event();
    });
    socket.on('data', (chunk: Buffer) => {
      const bytes = Buffer.from(chunk);
      for (const offset of this.corruptOffsets) {
        const at = offset - this.inboundOffset;
        if (at >= 0 && at < bytes.length) {
          bytes[at] ^= 0xff;
          this.corruptOffsets.delete(offset);
        }
      }
      this.inboundOffset += bytes.length;
      this.inbound.push(bytes);
      this.event();
    });
    socket.on('end', () => {
      this.eof = true;
      this.event();
    });
    socket.on('error', () => {
      if (this.state === 'connecting') {
        this.state = 'failed';
        this.failure = NSAPI_ERROR_NO_CONNECTION;
      } else {
        this.reset = true;
      }
      this.event();
    });
  }

  // ---- events (InternetSocket::event) --------------------------------------------------------------------

  private event(): void {
    this.flags.set(READ_FLAG | WRITE_FLAG);
    this.pending += 1;
    if (this.callback && this.pending === 1) {
      this.sigioCount++;
      this.callback();
    }
  }

  private async wait(flag: number): Promise<boolean> {
    return (await this.flags.wait_any(flag, this.timeout)) !== 0;
  }
}
