// TLSSocket, Mbed TLS variant (connectivity/netsocket/source/TLSSocket.cpp): a TLSSocketWrapper over its own
// TCPSocket, which it connects and closes. Also the seed's connect(hostname, port) (Mbed OS 5.x,
// features/netsocket/TLSSocket.cpp).
import { NSAPI_ERROR_IN_PROGRESS, NSAPI_ERROR_IS_CONNECTED, NSAPI_ERROR_OK } from '../../shared/nsapi.ts';
import type { SocketAddress } from '../../shared/socket-address.ts';
import type { NetworkStack, StackProvider } from '../netsocket/network-stack.ts';
import { TCPSocket } from '../netsocket/tcp-socket.ts';
import { control_transport, TLSSocketWrapper } from './tls-socket-wrapper.ts';

export class MbedtlsTLSSocket extends TLSSocketWrapper {
  private readonly tcp_socket: TCPSocket;

  constructor() {
    const tcp = new TCPSocket();
    super(tcp, null, control_transport.TRANSPORT_CONNECT_AND_CLOSE);
    this.tcp_socket = tcp;
  }

  /**
   * The destructor: the wrapper's work, then the embedded TCPSocket's own destructor, which closes a
   * socket re-opened after close() (it would otherwise hold a modem slot forever).
   */
  async destroy(): Promise<void> {
    await super.destroy();
    await this.tcp_socket.close();
  }

  /** OK; PARAMETER when already opened or no stack; stack errors such as NO_SOCKET. */
  open(stack: NetworkStack | StackProvider | null): number {
    return this.tcp_socket.open(stack);
  }

  connect(address?: SocketAddress): Promise<number>;
  connect(hostname: string, port: number): Promise<number>;
  async connect(target?: SocketAddress | string, port?: number): Promise<number> {
    if (typeof target !== 'string') return super.connect(target);
    // The seed's connect(host, port): resolve through the stack, and verify the certificate against
    // that name.
    let ret = NSAPI_ERROR_OK;
    if (!this.is_handshake_started()) {
      ret = await this.tcp_socket.connect(target, port ?? 0);
      if (ret === NSAPI_ERROR_OK || ret === NSAPI_ERROR_IN_PROGRESS) this.set_hostname(target);
      if (ret !== NSAPI_ERROR_OK && ret !== NSAPI_ERROR_IS_CONNECTED) return ret;
    }
    return this.start_handshake(ret === NSAPI_ERROR_OK);
  }
}
