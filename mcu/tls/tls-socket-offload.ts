// TLSSocket, offloaded variant (Mbed OS connectivity/netsocket/include/netsocket/TLSSocket.h,
// MBED_CONF_NSAPI_OFFLOAD_TLSSOCKET): a TCPSocket whose credentials and hostname go to the network stack
// through setsockopt(NSAPI_TLSSOCKET_LEVEL, …); the modem runs TLS. No Mbed TLS here.
import {
  NSAPI_ERROR_OK,
  NSAPI_TLSSOCKET_ENABLE,
  NSAPI_TLSSOCKET_LEVEL,
  NSAPI_TLSSOCKET_SET_CACERT,
  NSAPI_TLSSOCKET_SET_CLCERT,
  NSAPI_TLSSOCKET_SET_CLKEY,
  NSAPI_TLSSOCKET_SET_HOSTNAME,
  TLSSIM_TLSSOCKET_SESSION_RESUMPTION,
} from '../../shared/nsapi.ts';
import type { SocketAddress } from '../../shared/socket-address.ts';
import { TCPSocket } from '../netsocket/tcp-socket.ts';
import { type PemOrDer, strlenBytes } from './pem-length.ts';
import { countCredentialBytes } from './tls-cost-tally.ts';

/** A C++ `bool true`: the ENABLE option value, optlen = sizeof(bool) = 1. */
const BOOL_TRUE = Uint8Array.of(1);

export class OffloadTLSSocket extends TCPSocket {
  /** CA, certificate and key bytes this socket handed to the stack (its TLS memory on the MCU). */
  private credentialBytes = 0;

  /** The credential bytes passed so far: in offload mode, what the MCU holds for TLS (docs/costs.md). */
  get_credential_bytes(): number {
    return this.credentialBytes;
  }

  private passCredential(option: number, bytes: Uint8Array): Promise<number> {
    this.credentialBytes += bytes.length;
    countCredentialBytes(this.credentialBytes);
    return this.setsockopt(NSAPI_TLSSOCKET_LEVEL, option, bytes);
  }

  /** SET_HOSTNAME with optlen = strlen(hostname); returns the stack's code (NO_SOCKET before open). */
  set_hostname(hostname: string): Promise<number> {
    return this.setsockopt(NSAPI_TLSSOCKET_LEVEL, NSAPI_TLSSOCKET_SET_HOSTNAME, strlenBytes(hostname));
  }

  /** A string is sent as strlen bytes (no NUL, unlike the Mbed TLS variant); bytes as given (or `len`). */
  set_root_ca_cert(root_ca: PemOrDer, len?: number): Promise<number> {
    return this.passCredential(NSAPI_TLSSOCKET_SET_CACERT, bytesOf(root_ca, len));
  }

  /** SET_CLCERT, then SET_CLKEY only if that returned OK. */
  set_client_cert_key(cert: PemOrDer, key: PemOrDer): Promise<number>;
  set_client_cert_key(cert: Uint8Array, cert_len: number, key: Uint8Array, key_len: number): Promise<number>;
  async set_client_cert_key(
    cert: PemOrDer,
    a: PemOrDer | number,
    b?: Uint8Array,
    c?: number,
  ): Promise<number> {
    const certBytes = bytesOf(cert, typeof a === 'number' ? a : undefined);
    const keyBytes = typeof a === 'number' ? bytesOf(b as Uint8Array, c) : bytesOf(a);
    const ret = await this.passCredential(NSAPI_TLSSOCKET_SET_CLCERT, certBytes);
    if (ret !== NSAPI_ERROR_OK) return ret;
    return this.passCredential(NSAPI_TLSSOCKET_SET_CLKEY, keyBytes);
  }

  /**
   * tlssim's extension: let the modem resume its TLS sessions (AT+QSSLCFG="session"), so a reconnect to
   * the same server can skip the full handshake. Not in Mbed OS (docs/deviations.md).
   */
  set_session_resumption(enabled: boolean): Promise<number> {
    return this.setsockopt(
      NSAPI_TLSSOCKET_LEVEL,
      TLSSIM_TLSSOCKET_SESSION_RESUMPTION,
      Uint8Array.of(enabled ? 1 : 0),
    );
  }

  enable_tlssocket(): Promise<number> {
    return this.setsockopt(NSAPI_TLSSOCKET_LEVEL, NSAPI_TLSSOCKET_ENABLE, BOOL_TRUE);
  }

  /** ENABLE first; only if OK, TCPSocket::connect (which the stack turns into AT+QSSLOPEN). */
  connect(address: SocketAddress): Promise<number>;
  connect(hostname: string, port: number): Promise<number>;
  async connect(target: SocketAddress | string, port = 0): Promise<number> {
    const ret = await this.enable_tlssocket();
    if (ret !== NSAPI_ERROR_OK) return ret;
    return typeof target === 'string' ? super.connect(target, port) : super.connect(target);
  }

  /** The destructor's work: close if still open. */
  async destroy(): Promise<void> {
    if (this._socket) await this.close();
  }
}

function bytesOf(value: PemOrDer, len?: number): Uint8Array {
  if (typeof value === 'string') return strlenBytes(value);
  return value.subarray(0, len ?? value.length);
}
