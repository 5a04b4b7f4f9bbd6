// Every connection's air figures, kept by the modem: final ones for closed sockets, a snapshot for
// open ones. A listener hears each connection as it finishes (the modem process appends it to the run's
// air.jsonl). The modem keeps the last MAX_KEPT finished ones only: it may live for a million connections.
import type { ModemSocket, ServiceType } from '../sockets/modem-socket.ts';
import type { AirDirection, AirProtocol } from './air-meter.ts';

export interface AirConnection {
  id: number;
  service: ServiceType;
  /** the host and port as the MCU wrote them */
  remote: string;
  protocol: AirProtocol;
  /** whether the modem itself ran TLS on it (AT+QSSLOPEN) */
  modemTls: boolean;
  up: AirDirection;
  down: AirDirection;
  /** the modem's own TLS handshake (offload mode), if it ran one */
  modemHandshake: 'full' | 'resumed' | null;
}

export interface AirTotals {
  connections: number;
  /** payload + header bytes, device to network */
  up: number;
  down: number;
  handshake: { up: number; down: number };
  application: { up: number; down: number };
  headers: { up: number; down: number };
}

function describe(socket: ModemSocket): AirConnection {
  const report = socket.air.report();
  return {
    id: socket.info.id,
    service: socket.info.service,
    remote: `${socket.info.remoteHost}:${socket.info.remotePort}`,
    protocol: report.protocol,
    modemTls: socket.info.family === 'ssl',
    up: report.up,
    down: report.down,
    modemHandshake: report.modemHandshake,
  };
}

export function airTotals(connections: readonly AirConnection[]): AirTotals {
  const totals: AirTotals = {
    connections: connections.length,
    up: 0,
    down: 0,
    handshake: { up: 0, down: 0 },
    application: { up: 0, down: 0 },
    headers: { up: 0, down: 0 },
  };
  for (const c of connections) {
    totals.up += c.up.payloadBytes + c.up.headerBytes;
    totals.down += c.down.payloadBytes + c.down.headerBytes;
    totals.handshake.up += c.up.handshake;
    totals.handshake.down += c.down.handshake;
    totals.application.up += c.up.application;
    totals.application.down += c.down.application;
    totals.headers.up += c.up.headerBytes;
    totals.headers.down += c.down.headerBytes;
  }
  return totals;
}

/** Finished connections the ledger keeps for airConnections() (the listener hears every one). */
export const MAX_KEPT = 1000;

export class AirLedger {
  private readonly finished: AirConnection[] = [];
  private listener: ((connection: AirConnection) => void) | null = null;

  finish(socket: ModemSocket): void {
    const connection = describe(socket);
    this.finished.push(connection);
    if (this.finished.length > MAX_KEPT) this.finished.shift();
    this.listener?.(connection);
  }

  onFinished(listener: ((connection: AirConnection) => void) | null): void {
    this.listener = listener;
  }

  /** Finished connections, then the open ones as they stand. */
  connections(open: readonly ModemSocket[]): AirConnection[] {
    return [...this.finished, ...open.map(describe)];
  }
}
