// TCPSocket (mbed-os connectivity/netsocket/source/TCPSocket.cpp): connect/send/recv loops over the
// non-blocking stack calls, waiting on the event flag up to the socket timeout.
import {
  NSAPI_ERROR_ALREADY,
  NSAPI_ERROR_DNS_FAILURE,
  NSAPI_ERROR_IN_PROGRESS,
  NSAPI_ERROR_IS_CONNECTED,
  NSAPI_ERROR_NO_SOCKET,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_UNSUPPORTED,
  NSAPI_ERROR_WOULD_BLOCK,
  NSAPI_TCP,
  type nsapi_protocol_t,
} from '../../shared/nsapi.ts';
import { SocketAddress } from '../../shared/socket-address.ts';
import { InternetSocket } from './internet-socket.ts';
import type { NetworkStack, StackProvider } from './network-stack.ts';
import { READ_FLAG, WRITE_FLAG } from './socket.ts';

export class TCPSocket extends InternetSocket {
  constructor(stack?: NetworkStack | StackProvider) {
    super();
    if (stack) this.open(stack);
  }

  protected get_proto(): nsapi_protocol_t {
    return NSAPI_TCP;
  }

  connect(address: SocketAddress): Promise<number>;
  connect(hostname: string, port: number): Promise<number>;
  async connect(target: SocketAddress | string, port = 0): Promise<number> {
    if (typeof target === 'string') {
      // The seed's (Mbed OS 5.x) connect(host, port): resolve through the stack, then connect.
      if (!this._stack || !this._socket) return NSAPI_ERROR_NO_SOCKET;
      const resolved = new SocketAddress();
      const dns = await this._stack.gethostbyname(target, resolved);
      if (dns !== NSAPI_ERROR_OK) return NSAPI_ERROR_DNS_FAILURE;
      resolved.set_port(port);
      return this.connect(resolved);
    }
    const address = target;
    let ret: number;
    let waited = false;
    for (;;) {
      if (!this._stack || !this._socket) {
        ret = NSAPI_ERROR_NO_SOCKET;
        break;
      }
      this._pending = 0;
      ret = await this._stack.socket_connect(this._socket, address);
      if (this._timeout === 0 || !(ret === NSAPI_ERROR_IN_PROGRESS || ret === NSAPI_ERROR_ALREADY)) break;
      waited = true;
      if (!(await this.wait_for(WRITE_FLAG))) break;
    }
    // A connect that completed while this call waited reports OK, not IS_CONNECTED.
    if (ret === NSAPI_ERROR_IS_CONNECTED && waited) ret = NSAPI_ERROR_OK;
    if (ret === NSAPI_ERROR_OK || ret === NSAPI_ERROR_IN_PROGRESS) {
      this._remote_peer.set_addr(address.get_addr());
      this._remote_peer.set_port(address.get_port());
    }
    return ret;
  }

  async send(data: Uint8Array): Promise<number> {
    let written = 0;
    let ret: number;
    do {
      if (!this._stack || !this._socket) {
        ret = NSAPI_ERROR_NO_SOCKET;
        break;
      }
      this._pending = 0;
      ret = await this._stack.socket_send(this._socket, data.subarray(written));
      if (ret >= 0) {
        written += ret;
        if (written >= data.length) break;
      }
      if (this._timeout === 0) break;
      if (ret === NSAPI_ERROR_WOULD_BLOCK) {
        if (!(await this.wait_for(WRITE_FLAG))) break;
      } else if (ret < 0) {
        break;
      }
    } while (written < data.length);
    if (ret <= 0 && ret !== NSAPI_ERROR_WOULD_BLOCK) return ret;
    if (written === 0) return NSAPI_ERROR_WOULD_BLOCK;
    return written;
  }

  async recv(buffer: Uint8Array): Promise<number> {
    for (;;) {
      if (!this._stack || !this._socket) return NSAPI_ERROR_NO_SOCKET;
      this._pending = 0;
      const ret = await this._stack.socket_recv(this._socket, buffer);
      if (this._timeout === 0 || ret !== NSAPI_ERROR_WOULD_BLOCK) return ret;
      if (!(await this.wait_for(READ_FLAG))) return NSAPI_ERROR_WOULD_BLOCK;
    }
  }

  /** TCP ignores the address. */
  sendto(_address: SocketAddress, data: Uint8Array): Promise<number> {
    return this.send(data);
  }

  async recvfrom(address: SocketAddress | null, buffer: Uint8Array): Promise<number> {
    if (address && this._socket) {
      address.set_addr(this._remote_peer.get_addr());
      address.set_port(this._remote_peer.get_port());
    }
    return this.recv(buffer);
  }

  sendto_control(address: SocketAddress, data: Uint8Array, control: Uint8Array | null): Promise<number> {
    if (control) return Promise.resolve(NSAPI_ERROR_UNSUPPORTED);
    return this.sendto(address, data);
  }

  recvfrom_control(
    address: SocketAddress | null,
    buffer: Uint8Array,
    control: Uint8Array | null,
  ): Promise<number> {
    if (control) return Promise.resolve(NSAPI_ERROR_UNSUPPORTED);
    return this.recvfrom(address, buffer);
  }

  join_multicast_group(_address: SocketAddress): Promise<number> {
    return Promise.resolve(NSAPI_ERROR_UNSUPPORTED);
  }

  leave_multicast_group(_address: SocketAddress): Promise<number> {
    return Promise.resolve(NSAPI_ERROR_UNSUPPORTED);
  }
}
