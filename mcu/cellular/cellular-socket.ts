// The stack's record of one socket slot (AT_CellularStack::CellularSocket).
import { NSAPI_TCP, type nsapi_protocol_t } from '../../shared/nsapi.ts';
import { SocketAddress } from '../../shared/socket-address.ts';

export class CellularSocket {
  /** modem-side connect id; -1 until the modem socket is created */
  id = -1;
  connected = false;
  /** set by a "closed" URC */
  closed = false;
  /** offload: NSAPI_TLSSOCKET_ENABLE was seen, so this socket opens with AT+QSSLOPEN */
  tls = false;
  readonly remote = new SocketAddress();
  readonly local = new SocketAddress();
  callback: (() => void) | null = null;

  constructor(
    readonly slot: number,
    readonly proto: nsapi_protocol_t,
    localPort: number,
  ) {
    this.local.set_port(localPort);
  }

  get isTcp(): boolean {
    return this.proto === NSAPI_TCP;
  }

  notify(): void {
    this.callback?.();
  }
}
