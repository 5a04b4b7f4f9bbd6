// NetworkStack: the non-blocking per-socket API that sockets drive (mbed-os
// connectivity/netsocket/include/netsocket/NetworkStack.h). Stack operations never block on the socket's
// behalf: they return WOULD_BLOCK / IN_PROGRESS and signal progress through the attached callback. Where
// a real stack would talk to hardware they are async.
import {
  NSAPI_ERROR_DNS_FAILURE,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_PARAMETER,
  NSAPI_ERROR_UNSUPPORTED,
  NSAPI_UNSPEC,
  type nsapi_protocol_t,
  type nsapi_version_t,
} from '../../shared/nsapi.ts';
import { SocketAddress } from '../../shared/socket-address.ts';

/** An opaque stack socket handle (nsapi_socket_t). */
export type nsapi_socket_t = object;

export interface SocketOpenResult {
  error: number;
  handle: nsapi_socket_t | null;
}

export abstract class NetworkStack {
  abstract socket_open(proto: nsapi_protocol_t): SocketOpenResult;
  abstract socket_close(handle: nsapi_socket_t | null): Promise<number>;
  abstract socket_bind(handle: nsapi_socket_t | null, address: SocketAddress): Promise<number>;
  abstract socket_connect(handle: nsapi_socket_t | null, address: SocketAddress): Promise<number>;
  abstract socket_send(handle: nsapi_socket_t | null, data: Uint8Array): Promise<number>;
  abstract socket_recv(handle: nsapi_socket_t | null, buffer: Uint8Array): Promise<number>;
  abstract socket_sendto(
    handle: nsapi_socket_t | null,
    address: SocketAddress,
    data: Uint8Array,
  ): Promise<number>;
  abstract socket_recvfrom(
    handle: nsapi_socket_t | null,
    address: SocketAddress | null,
    buffer: Uint8Array,
  ): Promise<number>;
  abstract socket_attach(handle: nsapi_socket_t | null, callback: (() => void) | null): void;

  socket_listen(_handle: nsapi_socket_t | null, _backlog: number): Promise<number> {
    return Promise.resolve(NSAPI_ERROR_UNSUPPORTED);
  }

  /** optval null is C's NULL pointer (the BG96 answers PARAMETER for it). */
  setsockopt(
    _handle: nsapi_socket_t | null,
    _level: number,
    _optname: number,
    _optval: Uint8Array | null,
  ): Promise<number> {
    return Promise.resolve(NSAPI_ERROR_UNSUPPORTED);
  }

  getsockopt(
    _handle: nsapi_socket_t | null,
    _level: number,
    _optname: number,
    _optval: Uint8Array,
  ): Promise<number> {
    return Promise.resolve(NSAPI_ERROR_UNSUPPORTED);
  }

  setstackopt(_level: number, _optname: number, _optval: Uint8Array): Promise<number> {
    return Promise.resolve(NSAPI_ERROR_UNSUPPORTED);
  }

  getstackopt(_level: number, _optname: number, _optval: Uint8Array): Promise<number> {
    return Promise.resolve(NSAPI_ERROR_UNSUPPORTED);
  }

  get_ip_address(_address: SocketAddress): Promise<number> {
    return Promise.resolve(NSAPI_ERROR_UNSUPPORTED);
  }

  /**
   * Empty name → PARAMETER; a literal address → OK without network traffic (DNS_FAILURE when its
   * version contradicts the requested one); otherwise the stack's own query.
   */
  async gethostbyname(
    host: string,
    address: SocketAddress,
    version: nsapi_version_t = NSAPI_UNSPEC,
  ): Promise<number> {
    if (!host) return NSAPI_ERROR_PARAMETER;
    const literal = new SocketAddress();
    if (literal.set_ip_address(host)) {
      if (version !== NSAPI_UNSPEC && literal.get_ip_version() !== version) return NSAPI_ERROR_DNS_FAILURE;
      address.set_addr(literal.get_addr());
      return NSAPI_ERROR_OK;
    }
    return this.dns_query(host, address, version);
  }

  protected dns_query(_host: string, _address: SocketAddress, _version: nsapi_version_t): Promise<number> {
    return Promise.resolve(NSAPI_ERROR_UNSUPPORTED);
  }
}

/** Something that owns a stack: a NetworkInterface, or the stack itself. */
export interface StackProvider {
  get_stack(): NetworkStack | null;
}

export function toStack(target: NetworkStack | StackProvider | null | undefined): NetworkStack | null {
  if (!target) return null;
  if (target instanceof NetworkStack) return target;
  return target.get_stack();
}
