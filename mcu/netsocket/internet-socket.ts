// InternetSocket (mbed-os connectivity/netsocket/source/InternetSocket.cpp): open/close against a stack,
// the blocking/timeout model, and the sigio gate that allows at most one user callback per socket
// operation window.
import {
  NSAPI_ERROR_NO_CONNECTION,
  NSAPI_ERROR_NO_SOCKET,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_PARAMETER,
  NSAPI_ERROR_UNSUPPORTED,
  type nsapi_protocol_t,
} from '../../shared/nsapi.ts';
import { SocketAddress } from '../../shared/socket-address.ts';
import { EventFlags } from './event-flags.ts';
import { type NetworkStack, type nsapi_socket_t, type StackProvider, toStack } from './network-stack.ts';
import { READ_FLAG, type Socket, WRITE_FLAG } from './socket.ts';

export abstract class InternetSocket implements Socket {
  protected _stack: NetworkStack | null = null;
  protected _socket: nsapi_socket_t | null = null;
  /** ms; negative = wait forever (all sockets start blocking). */
  protected _timeout = -1;
  protected readonly _event_flag = new EventFlags();
  protected _callback: (() => void) | null = null;
  protected _pending = 0;
  protected readonly _remote_peer = new SocketAddress();

  protected abstract get_proto(): nsapi_protocol_t;

  /** OK, PARAMETER when the stack is missing or the socket already has one, or the stack's error. */
  open(target: NetworkStack | StackProvider | null): number {
    const stack = toStack(target);
    if (!stack || this._stack) return NSAPI_ERROR_PARAMETER;
    const { error, handle } = stack.socket_open(this.get_proto());
    if (error !== NSAPI_ERROR_OK || !handle) return error;
    this._stack = stack;
    this._socket = handle;
    stack.socket_attach(handle, () => this.event());
    return NSAPI_ERROR_OK;
  }

  async close(): Promise<number> {
    const stack = this._stack;
    const socket = this._socket;
    if (!stack || !socket) return NSAPI_ERROR_NO_SOCKET;
    stack.socket_attach(socket, null);
    this._socket = null;
    this._stack = null;
    const result = await stack.socket_close(socket);
    // Wake anyone blocked in connect/send/recv: they see the socket gone and return NO_SOCKET.
    this.event();
    return result;
  }

  /** Stack → socket notification: wakes waiters and calls sigio once per operation window. */
  event(): void {
    this._event_flag.set(READ_FLAG | WRITE_FLAG);
    this._pending += 1;
    if (this._callback && this._pending === 1) this._callback();
  }

  set_blocking(blocking: boolean): void {
    this.set_timeout(blocking ? -1 : 0);
  }

  set_timeout(timeoutMs: number): void {
    this._timeout = timeoutMs >= 0 ? timeoutMs : -1;
  }

  sigio(callback: (() => void) | null): void {
    this._callback = callback;
  }

  bind(address: SocketAddress | number): Promise<number> {
    if (!this._stack || !this._socket) return Promise.resolve(NSAPI_ERROR_NO_SOCKET);
    const addr = typeof address === 'number' ? new SocketAddress(null, address) : address;
    return this._stack.socket_bind(this._socket, addr);
  }

  setsockopt(level: number, optname: number, optval: Uint8Array | null): Promise<number> {
    if (!this._stack || !this._socket) return Promise.resolve(NSAPI_ERROR_NO_SOCKET);
    return this._stack.setsockopt(this._socket, level, optname, optval);
  }

  getsockopt(level: number, optname: number, optval: Uint8Array): Promise<number> {
    if (!this._stack || !this._socket) return Promise.resolve(NSAPI_ERROR_NO_SOCKET);
    return this._stack.getsockopt(this._socket, level, optname, optval);
  }

  getpeername(address: SocketAddress): number {
    if (!this._socket) return NSAPI_ERROR_NO_SOCKET;
    if (!this._remote_peer.isValid()) return NSAPI_ERROR_NO_CONNECTION;
    address.set_addr(this._remote_peer.get_addr());
    address.set_port(this._remote_peer.get_port());
    return NSAPI_ERROR_OK;
  }

  listen(_backlog = 1): Promise<number> {
    return Promise.resolve(NSAPI_ERROR_UNSUPPORTED);
  }

  async accept(): Promise<{ socket: Socket | null; error: number }> {
    return { socket: null, error: NSAPI_ERROR_UNSUPPORTED };
  }

  /** Waits for a stack event up to the socket timeout; false when the wait timed out. */
  protected async wait_for(flag: number): Promise<boolean> {
    return (await this._event_flag.wait_any(flag, this._timeout)) !== 0;
  }

  abstract connect(address: SocketAddress): Promise<number>;
  abstract send(data: Uint8Array): Promise<number>;
  abstract recv(buffer: Uint8Array): Promise<number>;
  abstract sendto(address: SocketAddress, data: Uint8Array): Promise<number>;
  abstract recvfrom(address: SocketAddress | null, buffer: Uint8Array): Promise<number>;
}
