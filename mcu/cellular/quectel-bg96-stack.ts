// QUECTEL_BG96_CellularStack (mbed-os connectivity/drivers/cellular/QUECTEL/BG96/
// QUECTEL_BG96_CellularStack.cpp, over AT_CellularStack.cpp): one stack for plain TCP and UDP sockets
// and, with the offloaded TLSSocket configured, TLS sockets the modem runs. Each socket speaks its
// command family (bg96-socket-family.ts); UDP exists only in the TCP/IP family (Quectel BG96 TCP/IP AT
// Commands Manual: AT+QIOPEN "UDP SERVICE", AT+QISEND with an address, AT+QIRD).

import { log } from '../../shared/log.ts';
import {
  NSAPI_ERROR_DEVICE_ERROR,
  NSAPI_ERROR_DNS_FAILURE,
  NSAPI_ERROR_IS_CONNECTED,
  NSAPI_ERROR_NO_CONNECTION,
  NSAPI_ERROR_NO_SOCKET,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_PARAMETER,
  NSAPI_ERROR_UNSUPPORTED,
  NSAPI_ERROR_WOULD_BLOCK,
  NSAPI_ICMP,
  NSAPI_TCP,
  NSAPI_TLSSOCKET_LEVEL,
  NSAPI_UDP,
  type nsapi_protocol_t,
  type nsapi_version_t,
} from '../../shared/nsapi.ts';
import type { SocketAddress } from '../../shared/socket-address.ts';
import { NetworkStack, type nsapi_socket_t, type SocketOpenResult } from '../netsocket/network-stack.ts';
import type { TlsSocketVariant } from '../netsocket/tls-socket-variant.ts';
import { AtError } from './at-error.ts';
import type { ATCommand, ATHandler } from './at-handler.ts';
import { atInt, params } from './at-params.ts';
import {
  atAddressText,
  BG96_SOCKET_BIND_FAIL,
  BG96_TCPIP_FAMILY,
  type Bg96SocketFamily,
} from './bg96-socket-family.ts';
import { CellularSocket } from './cellular-socket.ts';
import { ephemeralPort } from './ephemeral-port.ts';
import { QUECTEL_BG96_TlsOffload } from './quectel-bg96-tls-offload.ts';

export const BG96_SOCKET_COUNT = 12;
export const BG96_CREATE_SOCKET_TIMEOUT_MS = 150_000;
export const BG96_CLOSE_SOCKET_TIMEOUT_MS = 20_000;
export const BG96_DNS_TIMEOUT_MS = 60_000;
export const BG96_MAX_RECV_SIZE = 1500;
export const BG96_MAX_SEND_SIZE = 1460;

export interface Bg96StackOptions {
  /** 'offload' adds the setsockopt(NSAPI_TLSSOCKET_LEVEL) path and the SSL command family */
  tlsSocket?: TlsSocketVariant;
}

/** How an open command ended: opened, or refused with the modem's <err> (null: the AT exchange failed). */
type OpenResult = { ok: true } | { ok: false; modemError: number | null };

export class QUECTEL_BG96_CellularStack extends NetworkStack {
  private readonly sockets: Array<CellularSocket | null> = new Array(BG96_SOCKET_COUNT).fill(null);
  /** the offloaded TLSSocket's state and commands; null unless `nsapi.offload-tlssocket` */
  readonly tlsOffload: QUECTEL_BG96_TlsOffload | null;
  private readonly log = log.child('cellular', 'CELL');

  constructor(
    private readonly at: ATHandler,
    /** the PDP context id (CellularContext id) */
    private readonly cid: number,
    options: Bg96StackOptions = {},
  ) {
    super();
    this.tlsOffload = options.tlsSocket === 'offload' ? new QUECTEL_BG96_TlsOffload(at) : null;
    for (const family of [BG96_TCPIP_FAMILY, this.tlsOffload?.family]) {
      if (!family) continue;
      at.setUrcHandler(`${family.urc}: "recv`, (line) => this.urc_qiurc(line, family, 'recv'));
      at.setUrcHandler(`${family.urc}: "close`, (line) => this.urc_qiurc(line, family, 'closed'));
    }
  }

  /** Start-up work once the PDP context is up. */
  async init(): Promise<void> {
    await this.tlsOffload?.close_stale_sockets(BG96_SOCKET_COUNT);
  }

  /** "recv" wakes the socket; "closed" also marks it (data the modem still buffers is read first). */
  private urc_qiurc(line: string, family: Bg96SocketFamily, kind: 'recv' | 'closed'): void {
    const id = Number(params(line.slice(line.indexOf(':') + 1))[1]);
    const socket = this.sockets.find((s) => s && s.id === id && s.family === family);
    if (!socket) return;
    if (kind === 'closed') socket.closed = true;
    socket.notify();
  }

  /**
   * Every modem socket is gone: the PDP context was deactivated (`+QIURC: "pdpdeact"`, a detach) or the
   * modem rebooted. Each socket holding a modem connect id is marked lost and its sigio fires, so an
   * app waiting in recv wakes and gets NSAPI_ERROR_NO_CONNECTION. Upstream tells the sockets nothing:
   * each fails on its next AT command (DEVICE_ERROR), and a waiting recv only ends at its timeout.
   */
  sockets_lost(reason: string): void {
    for (const socket of this.sockets) {
      if (!socket || socket.id < 0 || socket.lost) continue;
      this.log.warn(`socket ${socket.id} lost: ${reason}`);
      socket.lost = true;
      socket.notify();
    }
  }

  private record(handle: nsapi_socket_t | null): CellularSocket | null {
    return handle instanceof CellularSocket && this.sockets[handle.slot] === handle ? handle : null;
  }

  private find_socket(id: number): CellularSocket | null {
    return this.sockets.find((s) => s && s.id === id) ?? null;
  }

  socket_open(proto: nsapi_protocol_t): SocketOpenResult {
    if (proto === NSAPI_ICMP || (proto !== NSAPI_TCP && proto !== NSAPI_UDP)) {
      return { error: NSAPI_ERROR_UNSUPPORTED, handle: null };
    }
    const slot = this.sockets.indexOf(null);
    if (slot < 0) return { error: NSAPI_ERROR_NO_SOCKET, handle: null };
    const localPort = ephemeralPort();
    const socket = new CellularSocket(slot, proto, localPort);
    this.sockets[slot] = socket;
    return { error: NSAPI_ERROR_OK, handle: socket };
  }

  async socket_close(handle: nsapi_socket_t | null): Promise<number> {
    if (!handle) return NSAPI_ERROR_NO_SOCKET;
    const socket = this.record(handle);
    if (!socket) return NSAPI_ERROR_DEVICE_ERROR;
    let result = NSAPI_ERROR_OK;
    if (socket.id > -1) result = await this.socket_close_impl(socket.id);
    socket.released();
    this.sockets[socket.slot] = null;
    return result;
  }

  /**
   * Closes a modem connect id with the family of the socket that holds it. An id no socket holds yet
   * (an open the modem refused) closes as a TCP/IP one, whatever was being opened: as the driver.
   */
  private async socket_close_impl(id: number): Promise<number> {
    const family = this.find_socket(id)?.family ?? BG96_TCPIP_FAMILY;
    const result = await this.at.run((cmd) => family.close(cmd, id), BG96_CLOSE_SOCKET_TIMEOUT_MS);
    return result instanceof AtError ? result.nsapiError : NSAPI_ERROR_OK;
  }

  async setsockopt(
    handle: nsapi_socket_t | null,
    level: number,
    optname: number,
    optval: Uint8Array | null,
  ): Promise<number> {
    // Without the offloaded TLSSocket the driver has no setsockopt (the #if around it).
    if (!this.tlsOffload) return super.setsockopt(handle, level, optname, optval);
    if (level !== NSAPI_TLSSOCKET_LEVEL) return NSAPI_ERROR_UNSUPPORTED;
    if (!optval) return NSAPI_ERROR_PARAMETER;
    const socket = this.record(handle);
    if (!socket) return NSAPI_ERROR_NO_SOCKET;
    return this.tlsOffload.setsockopt(socket, optname, optval);
  }

  async socket_bind(handle: nsapi_socket_t | null, address: SocketAddress): Promise<number> {
    const socket = this.record(handle);
    if (!handle) return NSAPI_ERROR_NO_SOCKET;
    if (!socket) return NSAPI_ERROR_DEVICE_ERROR;
    if (address.isValid()) return NSAPI_ERROR_UNSUPPORTED;
    const port = address.get_port();
    if (port !== socket.local.get_port()) {
      const used = this.sockets.some((s) => s && s !== socket && s.local.get_port() === port);
      if (port === 0 || used) return NSAPI_ERROR_PARAMETER;
      socket.local.set_port(port);
    }
    if (socket.id < 0 && !socket.isTcp) return this.create_socket_impl(socket);
    return NSAPI_ERROR_OK;
  }

  /** A TCP connection in the socket's family, with the driver's one retry. */
  async socket_connect(handle: nsapi_socket_t | null, address: SocketAddress): Promise<number> {
    const socket = this.record(handle);
    if (!handle) return NSAPI_ERROR_NO_SOCKET;
    if (!socket) return NSAPI_ERROR_DEVICE_ERROR;
    if (!socket.isTcp) return NSAPI_ERROR_NO_CONNECTION;
    if (socket.connected) return NSAPI_ERROR_IS_CONNECTED; // deviation: see docs/deviations.md
    const { family } = socket;
    const refused = family.checkConnect(address);
    if (refused !== NSAPI_ERROR_OK) return refused;
    const args = family.tcpOpenArgs(this.cid, socket.slot, address, socket.local.get_port());
    let result = await this.open_socket(family.open, args, socket.slot);
    // As the driver: one retry, only when the modem refused (not on an AT failure), and not when the
    // local port is taken (PARAMETER).
    if (
      !result.ok &&
      result.modemError !== null &&
      family.openError(result.modemError) !== NSAPI_ERROR_PARAMETER
    ) {
      await this.socket_close_impl(socket.slot);
      result = await this.open_socket(family.open, args, socket.slot);
    }
    if (!result.ok) return family.openError(result.modemError);
    socket.opened(address);
    return NSAPI_ERROR_OK;
  }

  /**
   * A UDP service socket on the local port. As the driver's create_socket_impl: a refusal other than
   * the local port being taken closes the connect id and tries once more, which is how a socket a
   * previous MCU run left open on that id (563, identity used) is cleared.
   */
  private async create_socket_impl(socket: CellularSocket): Promise<number> {
    const args = `=${this.cid},${socket.slot},"UDP SERVICE","127.0.0.1",0,${socket.local.get_port()},0`;
    let result = await this.open_socket(BG96_TCPIP_FAMILY.open, args, socket.slot);
    if (!result.ok && result.modemError !== null && result.modemError !== BG96_SOCKET_BIND_FAIL) {
      await this.socket_close_impl(socket.slot);
      result = await this.open_socket(BG96_TCPIP_FAMILY.open, args, socket.slot);
    }
    if (result.ok) {
      socket.opened(null);
      return NSAPI_ERROR_OK;
    }
    if (result.modemError === null) return NSAPI_ERROR_DEVICE_ERROR;
    return result.modemError === BG96_SOCKET_BIND_FAIL ? NSAPI_ERROR_PARAMETER : NSAPI_ERROR_NO_SOCKET;
  }

  /** Sends an open command, then waits (150 s) for the modem's "<open>: <id>,<err>" for this id. */
  private async open_socket(open: string, args: string, id: number): Promise<OpenResult> {
    const modemError = await this.at.run(async (cmd) => {
      await cmd.at_cmd_discard(open, args);
      cmd.setTimeout(BG96_CREATE_SOCKET_TIMEOUT_MS);
      return this.handle_open_socket_response(cmd, open, id);
    });
    if (modemError instanceof AtError) return { ok: false, modemError: null };
    return modemError === 0 ? { ok: true } : { ok: false, modemError };
  }

  /** The <err> of the open result for this connect id (results for other ids are passed over). */
  private async handle_open_socket_response(cmd: ATCommand, open: string, id: number): Promise<number> {
    for (;;) {
      const [gotId, err] = params(await cmd.info(`${open}:`));
      if (Number(gotId) === id) return atInt(err, `the ${open} result`);
    }
  }

  async socket_send(handle: nsapi_socket_t | null, data: Uint8Array): Promise<number> {
    const socket = this.record(handle);
    if (!handle) return NSAPI_ERROR_NO_SOCKET;
    if (!socket) return NSAPI_ERROR_DEVICE_ERROR;
    if (!socket.connected) return NSAPI_ERROR_NO_CONNECTION;
    return this.socket_sendto(handle, socket.remote, data);
  }

  async socket_sendto(
    handle: nsapi_socket_t | null,
    address: SocketAddress,
    data: Uint8Array,
  ): Promise<number> {
    const socket = this.record(handle);
    if (!handle) return NSAPI_ERROR_NO_SOCKET;
    if (!socket) return NSAPI_ERROR_DEVICE_ERROR;
    if (socket.lost || socket.closed) return NSAPI_ERROR_NO_CONNECTION;
    if (data.length === 0) return socket.isTcp ? 0 : NSAPI_ERROR_UNSUPPORTED;
    if (!socket.isTcp) {
      if (data.length > BG96_MAX_SEND_SIZE) return NSAPI_ERROR_PARAMETER;
      if (!address.isValid()) return NSAPI_ERROR_PARAMETER;
      if (socket.id < 0) {
        const created = await this.create_socket_impl(socket);
        if (created !== NSAPI_ERROR_OK) return created;
      }
      return this.send_datagram(socket, address, data);
    }
    if (socket.id < 0) return NSAPI_ERROR_NO_CONNECTION;
    return this.send_stream(socket, data);
  }

  /**
   * The data in 1460-byte chunks. Where the family counts (AT+QISEND=<id>,0 before and after), the
   * difference is what the modem accepted; otherwise the whole buffer, as the driver reports it.
   */
  private async send_stream(socket: CellularSocket, data: Uint8Array): Promise<number> {
    const { family, id } = socket;
    const result = await this.at.run(async (cmd) => {
      const before = family.countsSentBytes ? await cmd.at_cmd_int(family.send, `=${id},0`) : 0;
      for (let offset = 0; offset < data.length; offset += BG96_MAX_SEND_SIZE) {
        const chunk = data.subarray(offset, offset + BG96_MAX_SEND_SIZE);
        await this.send_chunk(cmd, `${family.send}=${id},${chunk.length}`, chunk);
      }
      if (!family.countsSentBytes) return data.length;
      return sentCount(before, await cmd.at_cmd_int(family.send, `=${id},0`), data.length);
    });
    return result instanceof AtError ? result.nsapiError : result;
  }

  private async send_datagram(
    socket: CellularSocket,
    address: SocketAddress,
    data: Uint8Array,
  ): Promise<number> {
    const body = `${BG96_TCPIP_FAMILY.send}=${socket.id},${data.length},"${atAddressText(address)}",${address.get_port()}`;
    const result = await this.at.run(async (cmd) => {
      await this.send_chunk(cmd, body, data);
      return data.length;
    });
    return result instanceof AtError ? result.nsapiError : result;
  }

  /** One `> ` data phase; anything but SEND OK is a device error. */
  private async send_chunk(cmd: ATCommand, body: string, chunk: Uint8Array): Promise<void> {
    cmd.send(body);
    await cmd.prompt();
    cmd.writeBytes(chunk);
    const result = await cmd.line();
    if (result !== 'SEND OK') throw new AtError('error', `expected SEND OK, got ${JSON.stringify(result)}`);
  }

  socket_recv(handle: nsapi_socket_t | null, buffer: Uint8Array): Promise<number> {
    return this.socket_recvfrom(handle, null, buffer);
  }

  async socket_recvfrom(
    handle: nsapi_socket_t | null,
    address: SocketAddress | null,
    buffer: Uint8Array,
  ): Promise<number> {
    const socket = this.record(handle);
    if (!handle) return NSAPI_ERROR_NO_SOCKET;
    if (!socket) return NSAPI_ERROR_DEVICE_ERROR;
    if (socket.lost) return NSAPI_ERROR_NO_CONNECTION;
    if (socket.id < 0) {
      if (socket.isTcp) return socket.closed ? 0 : NSAPI_ERROR_NO_CONNECTION;
      const created = await this.create_socket_impl(socket);
      if (created !== NSAPI_ERROR_OK) return created;
    }
    const got = socket.isTcp
      ? await this.read_stream(socket, buffer)
      : await this.read_datagram(socket, address, buffer);
    // Peer closed and the modem's buffer is drained: orderly shutdown. (Data still buffered is read
    // first; see docs/deviations.md.)
    if (got === NSAPI_ERROR_WOULD_BLOCK && socket.closed) return 0;
    return got;
  }

  /**
   * AT+QIRD / AT+QSSLRECV=<id>,<min(size,1500)>: a length line, exactly that many bytes, OK; 0 →
   * WOULD_BLOCK. The length is checked against what was asked for and the framing after the bytes
   * (ATCommand.payload), so a wrong length is a device error, never bytes lost or framing delivered.
   */
  private async read_stream(socket: CellularSocket, buffer: Uint8Array): Promise<number> {
    const { read } = socket.family;
    const want = Math.min(buffer.length, BG96_MAX_RECV_SIZE);
    const result = await this.at.run(async (cmd) => {
      cmd.send(`${read}=${socket.id},${want}`);
      const n = atInt(params(await cmd.info(`${read}:`))[0], `the ${read} length`);
      // More than was asked for: refused rather than truncated (upstream drops the excess unseen).
      if (n > want) return cmd.refuse(`${read} claims ${n} bytes where ${want} were asked for`);
      const data = await cmd.payload(n);
      if (n === 0) return NSAPI_ERROR_WOULD_BLOCK;
      buffer.set(data);
      return n;
    });
    return result instanceof AtError ? result.nsapiError : result;
  }

  /** AT+QIRD=<id>: "+QIRD: <len>,<ip>,<port>", the datagram, OK. */
  private async read_datagram(
    socket: CellularSocket,
    address: SocketAddress | null,
    buffer: Uint8Array,
  ): Promise<number> {
    const { read } = BG96_TCPIP_FAMILY;
    const result = await this.at.run(async (cmd) => {
      cmd.send(`${read}=${socket.id}`);
      const [n, ip, port] = params(await cmd.info(`${read}:`));
      const count = atInt(n, `the ${read} length`);
      // AT+QIRD hands out at most 1500 bytes of a datagram (Quectel BG96 TCP/IP AT Commands Manual).
      if (count > BG96_MAX_RECV_SIZE) return cmd.refuse(`${read} claims a ${count}-byte datagram`);
      const data = await cmd.payload(count);
      if (count === 0) return NSAPI_ERROR_WOULD_BLOCK;
      if (address) {
        address.set_ip_address(ip);
        address.set_port(atInt(port, `the ${read} port`));
      }
      // A datagram longer than the caller's buffer is truncated, as on the device.
      const copied = Math.min(count, buffer.length);
      buffer.set(data.subarray(0, copied));
      return copied;
    });
    return result instanceof AtError ? result.nsapiError : result;
  }

  socket_attach(handle: nsapi_socket_t | null, callback: (() => void) | null): void {
    const socket = this.record(handle);
    if (socket) socket.callback = callback;
  }

  /** AT+QIDNSGIP (cellular.offload-dns-queries): results arrive as "dnsgip" URCs. */
  protected async dns_query(
    host: string,
    address: SocketAddress,
    _version: nsapi_version_t,
  ): Promise<number> {
    const result = await this.at.run(async (cmd) => {
      await cmd.at_cmd_discard('+QIDNSGIP', `=${this.cid},"${host}"`);
      cmd.setTimeout(BG96_DNS_TIMEOUT_MS);
      const [err, count] = params(await cmd.info('+QIURC: "dnsgip",')).map(Number);
      if (err !== 0 || !(count > 0)) return NSAPI_ERROR_DNS_FAILURE;
      const ip = params(await cmd.info('+QIURC: "dnsgip",'))[0];
      for (let i = 1; i < count; i++) await cmd.info('+QIURC: "dnsgip",');
      return address.set_ip_address(ip) ? NSAPI_ERROR_OK : NSAPI_ERROR_DNS_FAILURE;
    });
    return result instanceof AtError ? NSAPI_ERROR_DNS_FAILURE : result;
  }

  /** AT+QIACT? lists each active context with its address; this stack's is the one with its cid. */
  async get_ip_address(address: SocketAddress): Promise<number> {
    const contexts = await this.at.at_cmd_lines('+QIACT', '?');
    if (!contexts.ok) return contexts.error;
    for (const context of contexts.value) {
      const [cid, , , ip] = params(context);
      if (Number(cid) === this.cid && ip && address.set_ip_address(ip)) return NSAPI_ERROR_OK;
    }
    return NSAPI_ERROR_NO_CONNECTION;
  }
}

/**
 * What a send reports from the AT+QISEND=<id>,0 totals before and after it. The modem's counter only
 * grows, and by no more than it was given: a total that goes back or jumps further is a device error,
 * so a send never reports more than it was given (upstream returns after − before as it comes).
 */
function sentCount(before: number, after: number, given: number): number {
  const sent = after - before;
  if (sent < 0 || sent > given) {
    throw new AtError('framing', `+QISEND total went from ${before} to ${after} for a ${given}-byte send`);
  }
  return sent > 0 ? sent : NSAPI_ERROR_WOULD_BLOCK;
}
