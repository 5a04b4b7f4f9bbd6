// The stack's record of one socket slot (AT_CellularStack::CellularSocket).
import { NSAPI_TCP, type nsapi_protocol_t } from '../../shared/nsapi.ts';
import { SocketAddress } from '../../shared/socket-address.ts';
import { BG96_TCPIP_FAMILY, type Bg96SocketFamily } from './bg96-socket-family.ts';

export class CellularSocket {
  /** modem-side connect id; -1 until the modem socket is created */
  id = -1;
  connected = false;
  /** set by a "closed" URC */
  closed = false;
  /**
   * The modem socket went with its PDP context or a modem reboot (docs/deviations.md, "Network and
   * modem events"): nothing can move on it any more, only close() is left.
   */
  lost = false;
  /** the commands this socket speaks: TCP/IP until made secure in offload mode */
  family: Bg96SocketFamily = BG96_TCPIP_FAMILY;
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

  /**
   * The modem confirmed the open. The driver asks for connect id = slot, so that is the id; a TCP
   * connection also records its peer (a UDP service socket has none).
   */
  opened(remote: SocketAddress | null): void {
    this.id = this.slot;
    this.closed = false;
    if (!remote) return;
    this.connected = true;
    this.remote.set_addr(remote.get_addr());
    this.remote.set_port(remote.get_port());
  }

  /** The modem socket is gone (closed by this side). */
  released(): void {
    this.id = -1;
    this.connected = false;
  }

  notify(): void {
    this.callback?.();
  }
}
