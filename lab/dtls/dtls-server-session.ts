// One client of a lab DTLS server: an Mbed TLS server context fed the datagrams of one client address,
// driven the way Mbed TLS's ssl_server2 drives it: HELLO_VERIFY_REQUIRED → session reset and wait for the
// ClientHello with the cookie; handshake; then each record read is served (echoed or discarded). Its
// retransmission timer runs on the lab clock. Nothing here throws out: a failure closes the session.

import { DtlsTimer } from '../../mcu/tls/dtls-timer.ts';
import {
  MBEDTLS_ERR_SSL_CLIENT_RECONNECT,
  MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED,
  MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY,
  MBEDTLS_ERR_SSL_WANT_READ,
  MBEDTLS_ERR_SSL_WANT_WRITE,
  type SslConfig,
  SslContext,
} from '../../mcu/tls/mbedtls/index.ts';
import type { Clock } from '../../shared/clock.ts';

export type DtlsService = 'echo' | 'discard';

export type SessionState = 'handshaking' | 'open' | 'closed';

/** What a session tells its server. */
export interface SessionEvents {
  send(datagram: Buffer): void;
  helloVerify(): void;
  handshake(ciphersuite: string | null): void;
  /** A handshake or connection failure (the raw Mbed TLS code); the session is closed. */
  failed(stage: 'handshake' | 'data', code: number): void;
  record(bytes: number): void;
  closed(reason: 'close_notify' | 'failure' | 'server'): void;
}

const isWant = (ret: number) => ret === MBEDTLS_ERR_SSL_WANT_READ || ret === MBEDTLS_ERR_SSL_WANT_WRITE;
/** Larger than any record Mbed TLS accepts, so one read can return a whole record. */
const READ_BUFFER = 16_384;
/** A session that keeps resetting on garbage ClientHellos gives up (no endless work for a flood). */
const MAX_HELLO_VERIFIES = 64;

export class DtlsServerSession {
  state: SessionState = 'handshaking';
  lastActivity: number;
  private readonly ssl = new SslContext();
  private readonly timer: DtlsTimer;
  private readonly inbox: Uint8Array[] = [];
  private helloVerifies = 0;
  private driving = false;

  constructor(
    config: SslConfig,
    private readonly transportId: Uint8Array,
    private readonly service: DtlsService,
    private readonly clock: Clock,
    private readonly events: SessionEvents,
  ) {
    this.lastActivity = clock.now();
    this.timer = new DtlsTimer(clock, () => this.drive());
    const ret = this.ssl.setup(config);
    if (ret !== 0) throw new Error(`mbedtls_ssl_setup failed: ${ret}`);
    this.ssl.setClientTransportId(transportId);
    this.ssl.setBio(
      (data) => {
        this.events.send(Buffer.from(data));
        return data.length;
      },
      (max) => this.inbox.shift()?.subarray(0, max) ?? MBEDTLS_ERR_SSL_WANT_READ,
    );
    this.ssl.setTimer(this.timer.set_delay, this.timer.get_delay);
  }

  receive(datagram: Uint8Array): void {
    if (this.state === 'closed') return;
    this.lastActivity = this.clock.now();
    this.inbox.push(datagram);
    this.drive();
  }

  /** Ends the session: close_notify if it got that far, then the context goes. */
  close(reason: 'close_notify' | 'failure' | 'server' = 'server'): void {
    if (this.state === 'closed') return;
    if (this.state === 'open' && reason === 'server') this.ssl.closeNotify();
    this.state = 'closed';
    this.timer.cancel();
    this.inbox.length = 0;
    this.ssl.free();
    this.events.closed(reason);
  }

  private drive(): void {
    if (this.driving || this.state === 'closed') return;
    this.driving = true;
    try {
      let again = true;
      while (again && !this.isClosed()) again = this.step();
    } catch {
      // A throwing callback inside Mbed TLS: treat as a broken session, never as a crashed lab.
      this.events.failed(this.state === 'open' ? 'data' : 'handshake', -1);
      this.close('failure');
    } finally {
      this.driving = false;
    }
  }

  private isClosed(): boolean {
    return this.state === 'closed';
  }

  /** One handshake or read call; true when calling again may get further. */
  private step(): boolean {
    if (this.state === 'handshaking') return this.handshakeStep();
    return this.readStep();
  }

  private handshakeStep(): boolean {
    const ret = this.ssl.handshake();
    if (ret === 0) {
      this.state = 'open';
      this.events.handshake(this.ssl.getCiphersuite());
      return true;
    }
    if (ret === MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED) {
      this.events.helloVerify();
      if (++this.helloVerifies > MAX_HELLO_VERIFIES) {
        this.events.failed('handshake', ret);
        this.close('failure');
        return false;
      }
      this.ssl.sessionReset();
      this.ssl.setClientTransportId(this.transportId);
      return this.inbox.length > 0;
    }
    if (isWant(ret)) return false;
    this.events.failed('handshake', ret);
    this.close('failure');
    return false;
  }

  private readStep(): boolean {
    const buffer = new Uint8Array(READ_BUFFER);
    const n = this.ssl.read(buffer);
    if (n > 0) {
      this.events.record(n);
      if (this.service === 'echo') this.echo(buffer.subarray(0, n));
      return true;
    }
    if (n === MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
      // Answer with our own close_notify, as ssl_server2 does.
      this.ssl.closeNotify();
      this.close('close_notify');
      return false;
    }
    if (n === MBEDTLS_ERR_SSL_CLIENT_RECONNECT) {
      // The same address starts over (a device that reopened its socket): Mbed TLS has reset the context.
      this.state = 'handshaking';
      return true;
    }
    if (n === 0 || isWant(n)) return false;
    this.events.failed('data', n);
    this.close('failure');
    return false;
  }

  /** Back in records of at most the server's maximum payload (a DTLS write may not exceed it). */
  private echo(data: Uint8Array): void {
    const max = this.ssl.getMaxOutRecordPayload();
    for (let offset = 0; offset < data.length; ) {
      const ret = this.ssl.write(data.subarray(offset, offset + (max > 0 ? max : data.length)));
      if (ret <= 0) {
        this.events.failed('data', ret);
        this.close('failure');
        return;
      }
      offset += ret;
    }
  }
}
