// DTLSSocketWrapper (connectivity/netsocket/source/DTLSSocketWrapper.cpp): TLSSocketWrapper over a
// datagram transport. The config is made at construction with the DATAGRAM transport; Mbed TLS gets the
// wrapper's timer (dtls-timer.ts). Its expiry is a signal on the same seam as the transport's sigio
// (completion-bio.ts): it wakes a call waiting for the peer (and fires sigio) so Mbed TLS can retransmit
// with its doubling timeouts (1 s to 60 s by default; get_ssl_config().setHandshakeTimeout changes them),
// and, like that wait, it never cuts short a transport call in flight. Everything else is the TLS
// wrapper's; UDP gives the differences: one record per datagram, an oversize write fails with
// DEVICE_ERROR (Mbed TLS refuses it), and recv returns one record at a time.
import { type Clock, deviceClock } from '../../shared/clock.ts';
import type { Socket } from '../netsocket/socket.ts';
import { DtlsTimer } from './dtls-timer.ts';
import { MBEDTLS_SSL_TRANSPORT_DATAGRAM } from './mbedtls/constants.ts';
import { control_transport, TLSSocketWrapper } from './tls-socket-wrapper.ts';

export class DTLSSocketWrapper extends TLSSocketWrapper {
  protected readonly _timer: DtlsTimer;

  constructor(
    transport: Socket | null,
    hostname: string | null = null,
    control: control_transport = control_transport.TRANSPORT_CONNECT_AND_CLOSE,
    /** Where the retransmission timer runs (real time unless a test or replay says otherwise). */
    clock: Clock = deviceClock,
  ) {
    super(transport, hostname, control, clock);
    this._timer = new DtlsTimer(clock, () => this.timer_event());
    // Eager, unlike TLSSocketWrapper: still client + VERIFY_REQUIRED, with the DATAGRAM transport.
    this.get_ssl_config();
  }

  protected override ssl_transport(): number {
    return MBEDTLS_SSL_TRANSPORT_DATAGRAM;
  }

  /** mbedtls_ssl_set_timer_cb once the context is set up (Mbed OS does it in the constructor). */
  protected override prepare_context(): void {
    this._ssl.setTimer(this._timer.set_delay, this._timer.get_delay);
  }

  /** The retransmission timer (for tests and logs: what Mbed TLS asked for, whether it runs). */
  get_timer(): DtlsTimer {
    return this._timer;
  }

  /** DTLSSocketWrapper::timer_event(): the final delay passed; wake a call waiting for the peer, and sigio. */
  private timer_event(): void {
    this.bio.on_timer_expired();
    this.notify_sigio();
  }

  /** Cancels a pending timer event first, so nothing wakes a closed socket. */
  override async close(): Promise<number> {
    this._timer.cancel();
    const ret = await super.close();
    // A handshake step woken during the close (by the transport's last event) may have re-armed it.
    this._timer.cancel();
    return ret;
  }
}
