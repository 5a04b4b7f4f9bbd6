// QUECTEL_BG96_CellularStack for plain TCP and UDP (reference §6.2–6.10): sockets as AT+QIOPEN /
// AT+QISEND / AT+QIRD / AT+QICLOSE, woken by +QIURC "recv"/"closed".

import { formatIPv6Full } from '../../shared/ip-text.ts';
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
  NSAPI_IPv6,
  NSAPI_TCP,
  NSAPI_UDP,
  type nsapi_protocol_t,
  type nsapi_version_t,
} from '../../shared/nsapi.ts';
import type { SocketAddress } from '../../shared/socket-address.ts';
import { NetworkStack, type nsapi_socket_t, type SocketOpenResult } from '../netsocket/network-stack.ts';
import { AtError } from './at-error.ts';
import type { ATCommand, ATHandler } from './at-handler.ts';
import { CellularSocket } from './cellular-socket.ts';

export const BG96_SOCKET_COUNT = 12;
export const BG96_CREATE_SOCKET_TIMEOUT_MS = 150_000;
export const BG96_CLOSE_SOCKET_TIMEOUT_MS = 20_000;
export const BG96_DNS_TIMEOUT_MS = 60_000;
export const BG96_MAX_RECV_SIZE = 1500;
export const BG96_MAX_SEND_SIZE = 1460;
export const BG96_SOCKET_BIND_FAIL = 556;

/** "1,2" → [1, 2]; quoted strings come back without quotes. */
export function params(text: string): string[] {
  return (text.match(/"[^"]*"|[^,]+/g) ?? []).map((p) => p.trim().replace(/^"|"$/g, ''));
}

/**
 * A length or counter from a response: decimal digits only (as ATHandler's integer read, §6.13), else
 * the exchange fails with a device error rather than letting NaN reach the application.
 */
export function atInt(text: string | undefined, what: string): number {
  if (text === undefined || !/^\d{1,9}$/.test(text)) {
    throw new AtError('error', `modem sent ${JSON.stringify(text ?? '')} where ${what} should be`);
  }
  return Number(text);
}

/** The address text the driver writes into QIOPEN/QISEND (IPv6 in full groups, §6.7). */
export function atAddressText(address: SocketAddress): string {
  if (address.get_ip_version() === NSAPI_IPv6) return formatIPv6Full(address.get_ip_bytes());
  return address.get_ip_address() ?? '';
}

export class QUECTEL_BG96_CellularStack extends NetworkStack {
  protected readonly sockets: Array<CellularSocket | null> = new Array(BG96_SOCKET_COUNT).fill(null);

  constructor(
    protected readonly at: ATHandler,
    /** the PDP context id (CellularContext id) */
    protected readonly cid: number,
  ) {
    super();
    at.setUrcHandler('+QIURC: "recv', (line) => this.onUrc(line, 'recv'));
    at.setUrcHandler('+QIURC: "close', (line) => this.onUrc(line, 'closed'));
  }

  /** Start-up work after the PDP context is up (the offload stack sweeps stale SSL sockets). */
  async init(): Promise<void> {}

  protected onUrc(line: string, kind: 'recv' | 'closed'): void {
    const id = Number(params(line.slice(line.indexOf(':') + 1))[1]);
    const socket = this.sockets.find((s) => s && s.id === id && !s.tls);
    if (!socket) return;
    if (kind === 'closed') socket.closed = true;
    socket.notify();
  }

  protected record(handle: nsapi_socket_t | null): CellularSocket | null {
    return handle instanceof CellularSocket && this.sockets[handle.slot] === handle ? handle : null;
  }

  /** Maps an AT failure to the nsapi code the Mbed OS driver returns for it. */
  protected static atResult(result: unknown): number {
    return result instanceof AtError ? NSAPI_ERROR_DEVICE_ERROR : (result as number);
  }

  socket_open(proto: nsapi_protocol_t): SocketOpenResult {
    if (proto === NSAPI_ICMP || (proto !== NSAPI_TCP && proto !== NSAPI_UDP)) {
      return { error: NSAPI_ERROR_UNSUPPORTED, handle: null };
    }
    const slot = this.sockets.indexOf(null);
    if (slot < 0) return { error: NSAPI_ERROR_NO_SOCKET, handle: null };
    const localPort = 49152 + Math.floor(Math.random() * (65536 - 49152));
    const socket = new CellularSocket(slot, proto, localPort);
    this.sockets[slot] = socket;
    return { error: NSAPI_ERROR_OK, handle: socket };
  }

  async socket_close(handle: nsapi_socket_t | null): Promise<number> {
    if (!handle) return NSAPI_ERROR_NO_SOCKET;
    const socket = this.record(handle);
    if (!socket) return NSAPI_ERROR_DEVICE_ERROR;
    let result = NSAPI_ERROR_OK;
    if (socket.id > -1) result = await this.close_modem_socket(socket);
    this.sockets[socket.slot] = null;
    return result;
  }

  protected async close_modem_socket(socket: CellularSocket): Promise<number> {
    const result = await this.at.run(async (cmd) => {
      cmd.send(`+QICLOSE=${socket.id}`);
      await cmd.ok();
      return NSAPI_ERROR_OK;
    }, BG96_CLOSE_SOCKET_TIMEOUT_MS);
    socket.id = -1;
    socket.connected = false;
    return QUECTEL_BG96_CellularStack.atResult(result);
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
    if (socket.id < 0 && !socket.isTcp) return this.create_udp_socket(socket);
    return NSAPI_ERROR_OK;
  }

  async socket_connect(handle: nsapi_socket_t | null, address: SocketAddress): Promise<number> {
    const socket = this.record(handle);
    if (!handle) return NSAPI_ERROR_NO_SOCKET;
    if (!socket) return NSAPI_ERROR_DEVICE_ERROR;
    if (!socket.isTcp) return NSAPI_ERROR_NO_CONNECTION;
    if (socket.connected) return NSAPI_ERROR_IS_CONNECTED; // deviation: see docs/deviations.md
    if (!address.isValid()) return NSAPI_ERROR_PARAMETER;
    return this.open_tcp(socket, address);
  }

  /** AT+QIOPEN ... "TCP" with one retry; modem errors become nsapi codes (docs/deviations.md). */
  protected async open_tcp(socket: CellularSocket, address: SocketAddress): Promise<number> {
    const body = `+QIOPEN=${this.cid},${socket.slot},"TCP","${atAddressText(address)}",${address.get_port()},${socket.local.get_port()},0`;
    // As the driver: one retry, and only when the modem answered with an error code (not on an AT failure).
    let err = await this.open_and_wait(body, '+QIOPEN:', socket.slot);
    if (err === BG96_SOCKET_BIND_FAIL) return NSAPI_ERROR_PARAMETER;
    if (err > 0) {
      await this.close_id(socket.slot);
      err = await this.open_and_wait(body, '+QIOPEN:', socket.slot);
      if (err === BG96_SOCKET_BIND_FAIL) return NSAPI_ERROR_PARAMETER;
    }
    if (err !== 0) return err < 0 ? NSAPI_ERROR_DEVICE_ERROR : NSAPI_ERROR_NO_CONNECTION;
    socket.id = socket.slot;
    socket.closed = false;
    socket.connected = true;
    socket.remote.set_addr(address.get_addr());
    socket.remote.set_port(address.get_port());
    return NSAPI_ERROR_OK;
  }

  /** Sends an open command and waits (150 s) for its "<prefix> <id>,<err>" URC; -1 on AT failure. */
  protected async open_and_wait(body: string, prefix: string, id: number): Promise<number> {
    const result = await this.at.run(async (cmd) => {
      cmd.send(body);
      await cmd.ok();
      cmd.setTimeout(BG96_CREATE_SOCKET_TIMEOUT_MS);
      for (;;) {
        const [gotId, err] = params(await cmd.info(prefix)).map(Number);
        if (gotId === id) return err;
      }
    });
    return result instanceof AtError ? -1 : result;
  }

  protected async close_id(id: number): Promise<void> {
    await this.at.run(async (cmd) => {
      cmd.send(`+QICLOSE=${id}`);
      await cmd.ok();
    }, BG96_CLOSE_SOCKET_TIMEOUT_MS);
  }

  protected async create_udp_socket(socket: CellularSocket): Promise<number> {
    const body = `+QIOPEN=${this.cid},${socket.slot},"UDP SERVICE","127.0.0.1",0,${socket.local.get_port()},0`;
    const err = await this.open_and_wait(body, '+QIOPEN:', socket.slot);
    if (err === BG96_SOCKET_BIND_FAIL) return NSAPI_ERROR_PARAMETER;
    if (err !== 0) return err < 0 ? NSAPI_ERROR_DEVICE_ERROR : NSAPI_ERROR_NO_SOCKET;
    socket.id = socket.slot;
    return NSAPI_ERROR_OK;
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
    if (socket.closed) return NSAPI_ERROR_NO_CONNECTION;
    if (data.length === 0) return socket.isTcp ? 0 : NSAPI_ERROR_UNSUPPORTED;
    if (!socket.isTcp) {
      if (data.length > BG96_MAX_SEND_SIZE) return NSAPI_ERROR_PARAMETER;
      if (!address.isValid()) return NSAPI_ERROR_PARAMETER;
      if (socket.id < 0) {
        const created = await this.create_udp_socket(socket);
        if (created !== NSAPI_ERROR_OK) return created;
      }
      return this.send_udp(socket, address, data);
    }
    if (socket.id < 0) return NSAPI_ERROR_NO_CONNECTION;
    return this.send_tcp(socket, data);
  }

  /** QISEND=<id>,0 before and after the chunks: the difference is what the modem accepted. */
  protected async send_tcp(socket: CellularSocket, data: Uint8Array): Promise<number> {
    const result = await this.at.run(async (cmd) => {
      const before = await this.total_sent(cmd, socket.id);
      for (let offset = 0; offset < data.length; offset += BG96_MAX_SEND_SIZE) {
        const chunk = data.subarray(offset, offset + BG96_MAX_SEND_SIZE);
        await this.send_chunk(cmd, `+QISEND=${socket.id},${chunk.length}`, chunk);
      }
      const after = await this.total_sent(cmd, socket.id);
      const sent = after - before;
      return sent > 0 ? sent : NSAPI_ERROR_WOULD_BLOCK;
    });
    return QUECTEL_BG96_CellularStack.atResult(result);
  }

  protected async total_sent(cmd: ATCommand, id: number): Promise<number> {
    cmd.send(`+QISEND=${id},0`);
    const total = atInt(params(await cmd.info('+QISEND:'))[0], 'the QISEND total');
    await cmd.ok();
    return total;
  }

  /** One `> ` data phase; anything but SEND OK is a device error. */
  protected async send_chunk(cmd: ATCommand, body: string, chunk: Uint8Array): Promise<void> {
    cmd.send(body);
    await cmd.prompt();
    cmd.writeBytes(chunk);
    const result = await cmd.line();
    if (result !== 'SEND OK') throw new AtError('error', `expected SEND OK, got ${JSON.stringify(result)}`);
  }

  protected async send_udp(
    socket: CellularSocket,
    address: SocketAddress,
    data: Uint8Array,
  ): Promise<number> {
    const result = await this.at.run(async (cmd) => {
      await this.send_chunk(
        cmd,
        `+QISEND=${socket.id},${data.length},"${atAddressText(address)}",${address.get_port()}`,
        data,
      );
      return data.length;
    });
    return QUECTEL_BG96_CellularStack.atResult(result);
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
    if (socket.id < 0) {
      if (socket.isTcp) return socket.closed ? 0 : NSAPI_ERROR_NO_CONNECTION;
      const created = await this.create_udp_socket(socket);
      if (created !== NSAPI_ERROR_OK) return created;
    }
    const got = socket.isTcp
      ? await this.read_tcp(socket, buffer)
      : await this.read_udp(socket, address, buffer);
    // Peer closed and the modem's buffer is drained: orderly shutdown. (Data still buffered is read
    // first; see docs/deviations.md.)
    if (got === NSAPI_ERROR_WOULD_BLOCK && socket.closed) return 0;
    return got;
  }

  protected read_tcp(socket: CellularSocket, buffer: Uint8Array): Promise<number> {
    return this.read_stream(socket, buffer, 'QIRD');
  }

  /** AT+QIRD / AT+QSSLRECV=<id>,<min(size,1500)>: a length line, exactly that many bytes, OK; 0 → WOULD_BLOCK. */
  protected async read_stream(
    socket: CellularSocket,
    buffer: Uint8Array,
    command: 'QIRD' | 'QSSLRECV',
  ): Promise<number> {
    const want = Math.min(buffer.length, BG96_MAX_RECV_SIZE);
    const result = await this.at.run(async (cmd) => {
      cmd.send(`+${command}=${socket.id},${want}`);
      const n = atInt(params(await cmd.info(`+${command}:`))[0], `the ${command} length`);
      const data = await cmd.bytes(n);
      await cmd.ok();
      if (n === 0) return NSAPI_ERROR_WOULD_BLOCK;
      const copied = Math.min(n, buffer.length);
      buffer.set(data.subarray(0, copied));
      return copied;
    });
    return QUECTEL_BG96_CellularStack.atResult(result);
  }

  protected async read_udp(
    socket: CellularSocket,
    address: SocketAddress | null,
    buffer: Uint8Array,
  ): Promise<number> {
    const result = await this.at.run(async (cmd) => {
      cmd.send(`+QIRD=${socket.id}`);
      const [n, ip, port] = params(await cmd.info('+QIRD:'));
      const count = atInt(n, 'the QIRD length');
      const data = await cmd.bytes(count);
      await cmd.ok();
      if (count === 0) return NSAPI_ERROR_WOULD_BLOCK;
      if (address) {
        address.set_ip_address(ip);
        address.set_port(atInt(port, 'the QIRD port'));
      }
      // A datagram longer than the caller's buffer is truncated, as on the device.
      const copied = Math.min(count, buffer.length);
      buffer.set(data.subarray(0, copied));
      return copied;
    });
    return QUECTEL_BG96_CellularStack.atResult(result);
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
      cmd.send(`+QIDNSGIP=${this.cid},"${host}"`);
      await cmd.ok();
      cmd.setTimeout(BG96_DNS_TIMEOUT_MS);
      const [err, count] = params(await cmd.info('+QIURC: "dnsgip",')).map(Number);
      if (err !== 0 || !(count > 0)) return NSAPI_ERROR_DNS_FAILURE;
      const ip = params(await cmd.info('+QIURC: "dnsgip",'))[0];
      for (let i = 1; i < count; i++) await cmd.info('+QIURC: "dnsgip",');
      return address.set_ip_address(ip) ? NSAPI_ERROR_OK : NSAPI_ERROR_DNS_FAILURE;
    });
    if (result instanceof AtError) return NSAPI_ERROR_DNS_FAILURE;
    return result;
  }

  async get_ip_address(address: SocketAddress): Promise<number> {
    const result = await this.at.run(async (cmd) => {
      cmd.send('+QIACT?');
      const lines = await cmd.ok();
      for (const line of lines) {
        if (!line.startsWith('+QIACT:')) continue;
        const [cid, , , ip] = params(line.slice(7));
        if (Number(cid) === this.cid && ip && address.set_ip_address(ip)) return NSAPI_ERROR_OK;
      }
      return NSAPI_ERROR_NO_CONNECTION;
    });
    return QUECTEL_BG96_CellularStack.atResult(result);
  }
}
