// What each lab server has seen, for tests and listings: counters, and an optional hook that hears each event.
import type { ServerKind } from './server-kinds.ts';

export interface ServerStats {
  /** Connections accepted (TCP and TLS; UDP counts datagrams instead). */
  connections: number;
  /** Connections open right now. */
  active: number;
  /** TLS handshakes completed (full and resumed). */
  handshakes: number;
  /** Of those, the ones that resumed an earlier session (ticket or session ID). */
  resumedHandshakes: number;
  /** TLS handshakes that failed (bad client certificate, garbage, resets mid-handshake…). */
  tlsErrors: number;
  /** Socket errors after the handshake or on plain connections (resets and the like). */
  errors: number;
  datagrams: number;
  bytesIn: number;
  bytesOut: number;
}

export type LabServerEventType =
  | 'connection'
  | 'handshake'
  | 'data-in'
  | 'datagram'
  | 'data-out'
  | 'close'
  | 'error'
  | 'tls-error';

export interface LabServerEvent {
  kind: ServerKind;
  type: LabServerEventType;
  /** host:port of the client. */
  remote?: string;
  bytes?: number;
  /** Error code (ECONNRESET, ERR_SSL_…) or message, for error events. */
  error?: string;
  /** handshake events: the client resumed an earlier session */
  resumed?: boolean;
}

export type LabServerEventHook = (event: LabServerEvent) => void;

export function emptyStats(): ServerStats {
  return {
    connections: 0,
    active: 0,
    handshakes: 0,
    resumedHandshakes: 0,
    tlsErrors: 0,
    errors: 0,
    datagrams: 0,
    bytesIn: 0,
    bytesOut: 0,
  };
}

/** Counts an event into the server's stats and passes it to the hook. */
export class ServerActivity {
  readonly stats: ServerStats = emptyStats();

  constructor(
    readonly kind: ServerKind,
    private readonly hook?: LabServerEventHook,
  ) {}

  record(type: LabServerEventType, detail: Omit<LabServerEvent, 'kind' | 'type'> = {}): void {
    const stats = this.stats;
    const bytes = detail.bytes ?? 0;
    switch (type) {
      case 'connection':
        stats.connections++;
        stats.active++;
        break;
      case 'close':
        stats.active--;
        break;
      case 'handshake':
        stats.handshakes++;
        if (detail.resumed) stats.resumedHandshakes++;
        break;
      case 'tls-error':
        stats.tlsErrors++;
        break;
      case 'error':
        stats.errors++;
        break;
      case 'data-in':
        stats.bytesIn += bytes;
        break;
      case 'datagram':
        stats.datagrams++;
        stats.bytesIn += bytes;
        break;
      case 'data-out':
        stats.bytesOut += bytes;
        break;
    }
    this.hook?.({ kind: this.kind, type, ...detail });
  }
}

export function errorText(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return code ?? message ?? String(error);
}
