// DTLSSocket (connectivity/netsocket/source/DTLSSocket.cpp): a DTLSSocketWrapper over its own UDPSocket,
// which it connects (records the peer) and closes. `new DTLSSocket(stack, hostname)` opens at once, as the
// seed's template constructor does; also the seed's 5.x connect(hostname, port).

import { type Clock, deviceClock } from '../../shared/clock.ts';
import { NSAPI_ERROR_DNS_FAILURE, NSAPI_ERROR_NO_CONNECTION, NSAPI_ERROR_OK } from '../../shared/nsapi.ts';
import { SocketAddress } from '../../shared/socket-address.ts';
import { type NetworkStack, type StackProvider, toStack } from '../netsocket/network-stack.ts';
import { UDPSocket } from '../netsocket/udp-socket.ts';
import { DTLSSocketWrapper } from './dtls-socket-wrapper.ts';
import { control_transport } from './tls-socket-wrapper.ts';

export class DTLSSocket extends DTLSSocketWrapper {
  private readonly _udp_socket: UDPSocket;
  /** The stack open() used: connect(hostname, port) resolves names through it. */
  private _stack: NetworkStack | null = null;

  /** With a stack: opened on it at once (it must succeed, as the seed asserts) and the hostname set. */
  constructor(
    stack?: NetworkStack | StackProvider | null,
    hostname: string | null = null,
    clock: Clock = deviceClock,
  ) {
    const udp = new UDPSocket();
    super(udp, hostname, control_transport.TRANSPORT_CONNECT_AND_CLOSE, clock);
    this._udp_socket = udp;
    if (stack) {
      const ret = this.open(stack);
      if (ret !== NSAPI_ERROR_OK) throw new Error(`DTLSSocket: open on the given stack failed (${ret})`);
    }
  }

  /** The destructor: the wrapper's work, then the embedded UDPSocket's (closing a re-opened socket). */
  async destroy(): Promise<void> {
    await super.destroy();
    await this._udp_socket.close();
  }

  /** OK; PARAMETER when already opened or no stack; stack errors such as NO_SOCKET. */
  open(stack: NetworkStack | StackProvider | null): number {
    const ret = this._udp_socket.open(stack);
    if (ret === NSAPI_ERROR_OK) this._stack = toStack(stack);
    return ret;
  }

  connect(address?: SocketAddress): Promise<number>;
  connect(hostname: string, port: number): Promise<number>;
  async connect(target?: SocketAddress | string, port?: number): Promise<number> {
    if (typeof target !== 'string') return super.connect(target);
    // The seed's 5.x connect(host, port): a socket that already has a peer answers with getpeername's
    // result (OK) and does nothing more; otherwise resolve, remember the name for verification, connect.
    const addr = new SocketAddress();
    const ret = this._udp_socket.getpeername(addr);
    if (ret !== NSAPI_ERROR_NO_CONNECTION) return ret;
    const stack = this._stack;
    if (!stack || (await stack.gethostbyname(target, addr)) !== NSAPI_ERROR_OK)
      return NSAPI_ERROR_DNS_FAILURE;
    addr.set_port(port ?? 0);
    this.set_hostname(target);
    await this._udp_socket.connect(addr); // UDPSocket::connect cannot fail
    return super.connect(addr);
  }
}
