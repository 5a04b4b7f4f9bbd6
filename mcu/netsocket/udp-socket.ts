// UDPSocket / InternetDatagramSocket (mbed-os connectivity/netsocket/source/InternetDatagramSocket.cpp):
// connect only records the peer; recvfrom drops datagrams from other addresses when a peer is set.
import {
  NSAPI_ERROR_NO_ADDRESS,
  NSAPI_ERROR_NO_SOCKET,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_UNSUPPORTED,
  NSAPI_ERROR_WOULD_BLOCK,
  NSAPI_UDP,
  type nsapi_protocol_t,
} from '../../shared/nsapi.ts';
import { SocketAddress } from '../../shared/socket-address.ts';
import { InternetSocket } from './internet-socket.ts';
import type { NetworkStack, StackProvider } from './network-stack.ts';
import { READ_FLAG, WRITE_FLAG } from './socket.ts';

export class UDPSocket extends InternetSocket {
  constructor(stack?: NetworkStack | StackProvider) {
    super();
    if (stack) this.open(stack);
  }

  protected get_proto(): nsapi_protocol_t {
    return NSAPI_UDP;
  }

  /** Never fails, even unopened; an empty address "disconnects". */
  async connect(address: SocketAddress): Promise<number> {
    this._remote_peer.set_addr(address.get_addr());
    this._remote_peer.set_port(address.get_port());
    return NSAPI_ERROR_OK;
  }

  async sendto(address: SocketAddress, data: Uint8Array): Promise<number> {
    for (;;) {
      if (!this._stack || !this._socket) return NSAPI_ERROR_NO_SOCKET;
      this._pending = 0;
      const ret = await this._stack.socket_sendto(this._socket, address, data);
      if (this._timeout === 0 || ret !== NSAPI_ERROR_WOULD_BLOCK) return ret;
      if (!(await this.wait_for(WRITE_FLAG))) return NSAPI_ERROR_WOULD_BLOCK;
    }
  }

  send(data: Uint8Array): Promise<number> {
    if (!this._remote_peer.isValid()) return Promise.resolve(NSAPI_ERROR_NO_ADDRESS);
    return this.sendto(this._remote_peer, data);
  }

  async recvfrom(address: SocketAddress | null, buffer: Uint8Array): Promise<number> {
    const from = new SocketAddress();
    for (;;) {
      if (!this._stack || !this._socket) return NSAPI_ERROR_NO_SOCKET;
      this._pending = 0;
      const ret = await this._stack.socket_recvfrom(this._socket, from, buffer);
      if (ret === NSAPI_ERROR_WOULD_BLOCK) {
        if (this._timeout === 0) return ret;
        if (!(await this.wait_for(READ_FLAG))) return NSAPI_ERROR_WOULD_BLOCK;
        continue;
      }
      // A connected datagram socket only hears its peer; others are dropped silently.
      if (ret >= 0 && this._remote_peer.isValid() && !this._remote_peer.equals(from)) continue;
      if (address && ret >= 0) {
        address.set_addr(from.get_addr());
        address.set_port(from.get_port());
      }
      return ret;
    }
  }

  recv(buffer: Uint8Array): Promise<number> {
    return this.recvfrom(null, buffer);
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
}
