// The abstract Socket (mbed-os connectivity/netsocket/include/netsocket/Socket.h): what TLSSocketWrapper
// accepts as a transport and what applications program against. Methods that may wait return
// Promise<number>: an nsapi code or a size.
import type { SocketAddress } from '../../shared/socket-address.ts';

export interface Socket {
  close(): Promise<number>;
  connect(address: SocketAddress): Promise<number>;
  send(data: Uint8Array): Promise<number>;
  recv(buffer: Uint8Array): Promise<number>;
  sendto(address: SocketAddress, data: Uint8Array): Promise<number>;
  recvfrom(address: SocketAddress | null, buffer: Uint8Array): Promise<number>;
  bind(address: SocketAddress | number): Promise<number>;
  set_blocking(blocking: boolean): void;
  set_timeout(timeoutMs: number): void;
  sigio(callback: (() => void) | null): void;
  setsockopt(level: number, optname: number, optval: Uint8Array | null): Promise<number>;
  getsockopt(level: number, optname: number, optval: Uint8Array): Promise<number>;
  accept(): Promise<{ socket: Socket | null; error: number }>;
  listen(backlog?: number): Promise<number>;
  getpeername(address: SocketAddress): number;
}

/** Event flag bits shared by sockets. */
export const READ_FLAG = 0x1;
export const WRITE_FLAG = 0x2;
