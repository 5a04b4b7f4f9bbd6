// A scripted NetworkStack, like Mbed OS's NetworkStackstub: each socket call returns the next queued
// value (or `returnValue`), and can poke the attached callback to wake a blocked socket.

import {
  NetworkStack,
  type nsapi_socket_t,
  type SocketOpenResult,
} from '../../../mcu/netsocket/network-stack.ts';
import { NSAPI_ERROR_OK, type nsapi_protocol_t } from '../../../shared/nsapi.ts';
import type { SocketAddress } from '../../../shared/socket-address.ts';

export class NetworkStackStub extends NetworkStack {
  returnValue = NSAPI_ERROR_OK;
  readonly returnValues: number[] = [];
  /** fills recvfrom's address, so datagrams pass a connected socket's peer filter */
  returnSocketAddress: SocketAddress | null = null;
  /** bytes handed to recv/recvfrom */
  readonly incoming: Uint8Array[] = [];
  readonly calls: string[] = [];
  callback: (() => void) | null = null;
  /** fire the callback after every call (simulates the stack reporting progress) */
  signalAfterEachCall = false;

  private next(name: string): number {
    this.calls.push(name);
    const value = this.returnValues.length ? (this.returnValues.shift() as number) : this.returnValue;
    if (this.signalAfterEachCall) setImmediate(() => this.callback?.());
    return value;
  }

  socket_open(_proto: nsapi_protocol_t): SocketOpenResult {
    const error = this.next('open');
    return { error, handle: error === NSAPI_ERROR_OK ? {} : null };
  }
  async socket_close(_h: nsapi_socket_t | null) {
    return this.next('close');
  }
  async socket_bind(_h: nsapi_socket_t | null, _a: SocketAddress) {
    return this.next('bind');
  }
  async socket_connect(_h: nsapi_socket_t | null, _a: SocketAddress) {
    return this.next('connect');
  }
  async socket_send(_h: nsapi_socket_t | null, _d: Uint8Array) {
    return this.next('send');
  }
  async socket_recv(h: nsapi_socket_t | null, buffer: Uint8Array) {
    return this.socket_recvfrom(h, null, buffer);
  }
  async socket_sendto(_h: nsapi_socket_t | null, _a: SocketAddress, _d: Uint8Array) {
    return this.next('sendto');
  }
  async socket_recvfrom(_h: nsapi_socket_t | null, address: SocketAddress | null, buffer: Uint8Array) {
    const value = this.next('recv');
    if (address && this.returnSocketAddress) {
      address.set_addr(this.returnSocketAddress.get_addr());
      address.set_port(this.returnSocketAddress.get_port());
    }
    const data = this.incoming.shift();
    if (data && value > 0) buffer.set(data.subarray(0, value));
    return value;
  }
  socket_attach(_h: nsapi_socket_t | null, callback: (() => void) | null) {
    this.callback = callback;
  }
}
