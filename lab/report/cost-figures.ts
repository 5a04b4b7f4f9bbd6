// The figures the demo table and the HTML cost card derive from a run's costs (docs/costs.md), so both
// say the same thing: a connection's bytes over the air, the handshake's share, and the reconnect
// (the session-resumption scenario's two connections, full then resumed).
import type { AirConnection, AirTotals } from '../../modem/air/air-ledger.ts';

/** Payload plus header estimate, both directions: what the cellular link carried for one connection. */
export function connectionAirBytes(connection: AirConnection): number {
  const { up, down } = connection;
  return up.payloadBytes + up.headerBytes + down.payloadBytes + down.headerBytes;
}

/** The TLS handshake records' part of all the bytes over the air, in whole percent. */
export function handshakeSharePercent(air: AirTotals): number {
  const total = air.up + air.down;
  return total === 0 ? 0 : Math.round((100 * (air.handshake.up + air.handshake.down)) / total);
}

export interface Reconnect {
  /** air bytes of the first connection (a full handshake) and of the second */
  firstAirBytes: number;
  secondAirBytes: number;
  /** whether the second handshake resumed the first one's session */
  resumed: boolean;
}

/**
 * The first two connections of a run, in the order the modem finished them. `resumedHandshakes` comes
 * from the run's costs: the modem records its own handshakes (offload), the MCU its Mbed TLS ones.
 */
export function reconnectFigures(
  connections: readonly AirConnection[],
  resumedHandshakes: number,
): Reconnect | null {
  const [first, second] = connections;
  if (!first || !second) return null;
  return {
    firstAirBytes: connectionAirBytes(first),
    secondAirBytes: connectionAirBytes(second),
    resumed: resumedHandshakes > 0,
  };
}

/** 1229 → "1 229": digits grouped by a space, as docs/costs.md prints them (no locale's comma). */
export function groupDigits(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}
