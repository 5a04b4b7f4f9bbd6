// The AT commands a BG96 socket speaks. Every socket starts with the TCP/IP family (Quectel BG96
// TCP/IP AT Commands Manual: AT+QIOPEN, AT+QISEND, AT+QIRD, AT+QICLOSE, URC +QIURC); in offload mode
// setsockopt(NSAPI_TLSSOCKET_LEVEL, NSAPI_TLSSOCKET_ENABLE) gives it the SSL family instead
// (quectel-bg96-tls-offload.ts). The stack asks the socket's family, never whether the socket is TLS.
import { formatIPv6Full } from '../../shared/ip-text.ts';
import {
  NSAPI_ERROR_DEVICE_ERROR,
  NSAPI_ERROR_NO_CONNECTION,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_PARAMETER,
  NSAPI_IPv6,
} from '../../shared/nsapi.ts';
import type { SocketAddress } from '../../shared/socket-address.ts';
import type { ATCommand } from './at-handler.ts';

/** +QIOPEN <err> 556: the local port is taken (Quectel BG96 TCP/IP AT Commands Manual, error codes). */
export const BG96_SOCKET_BIND_FAIL = 556;

export interface Bg96SocketFamily {
  /** the open command; the modem reports the outcome as "<open>: <connectID>,<err>" */
  readonly open: string;
  readonly send: string;
  readonly read: string;
  /** the URC that carries this family's "recv" and "closed" notifications */
  readonly urc: string;
  /** `AT+QISEND=<id>,0` reports how many bytes the modem has accepted so far (TCP/IP only) */
  readonly countsSentBytes: boolean;
  /** OK, or the code a TCP connect fails with before any AT traffic */
  checkConnect(remote: SocketAddress): number;
  /** the open command's parameters for a TCP connection from modem connect id `id` */
  tcpOpenArgs(cid: number, id: number, remote: SocketAddress, localPort: number): string;
  /** the nsapi code of a failed open: the modem's <err>, or null when the AT exchange itself failed */
  openError(modemError: number | null): number;
  /** closes a modem socket of this family within one exchange (socket_close_impl) */
  close(cmd: ATCommand, id: number): Promise<void>;
}

/** The address text the driver writes into QIOPEN/QSSLOPEN/QISEND (IPv6 in full groups: ip2dot). */
export function atAddressText(address: SocketAddress): string {
  if (address.get_ip_version() === NSAPI_IPv6) return formatIPv6Full(address.get_ip_bytes());
  return address.get_ip_address() ?? '';
}

export const BG96_TCPIP_FAMILY: Bg96SocketFamily = {
  open: '+QIOPEN',
  send: '+QISEND',
  read: '+QIRD',
  urc: '+QIURC',
  countsSentBytes: true,
  checkConnect: (remote) => (remote.isValid() ? NSAPI_ERROR_OK : NSAPI_ERROR_PARAMETER),
  tcpOpenArgs: (cid, id, remote, localPort) =>
    `=${cid},${id},"TCP","${atAddressText(remote)}",${remote.get_port()},${localPort},0`,
  openError(modemError) {
    if (modemError === null) return NSAPI_ERROR_DEVICE_ERROR;
    return modemError === BG96_SOCKET_BIND_FAIL ? NSAPI_ERROR_PARAMETER : NSAPI_ERROR_NO_CONNECTION;
  },
  close: (cmd, id) => cmd.at_cmd_discard('+QICLOSE', `=${id}`),
};
