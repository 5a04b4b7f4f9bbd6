// One run's costs, put together after the run from what each part measured (docs/costs.md): the MCU
// process's Mbed TLS heap and handshakes (sent with its result), the modem's bytes over the air per
// connection (air.jsonl, written by `tlssim modem --air`), and the UART bytes the wire counted.
import { existsSync, readFileSync } from 'node:fs';
import { type AirConnection, type AirTotals, airTotals } from '../../modem/air/air-ledger.ts';
import type { McuCosts } from './mcu-costs.ts';

export interface RunCosts {
  /** the most Mbed TLS held at once on the MCU (0 in offload mode: the TLS state lives in the modem) */
  mcuTlsHeapPeakBytes: number;
  /** what Mbed TLS still held on the MCU when the app ended (0 once its TLS sockets were destroyed) */
  mcuTlsHeapBytesAfterClose: number;
  /** offload mode: the CA, certificate and key bytes one socket handed to the stack (the MCU's TLS memory) */
  mcuTlsCredentialBytes: number;
  uartBytes: { tx: number; rx: number };
  /** payload plus header estimate, device to network (up) and back (down), with the TLS split */
  airBytes: AirTotals;
  /** TLS handshakes: on the MCU (mbedtls mode) and in the modem (offload mode) */
  handshakes: { full: number; resumed: number };
}

const NO_MCU_COSTS: McuCosts = {
  mbedtlsHeapPeakBytes: 0,
  mbedtlsHeapBytesAtEnd: 0,
  handshakes: { full: 0, resumed: 0 },
  credentialBytesPerSocketMax: 0,
};

/**
 * The modem's air.jsonl, one connection a line (or a whole `{ "connections": [...] }` document). No file
 * (the modem never started) is no connections; a torn line (a modem killed mid-write) is skipped: the
 * figures are then incomplete, not wrong.
 */
export function readAirConnections(path: string): AirConnection[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const whole = parseJson(text);
  if (
    typeof whole === 'object' &&
    whole !== null &&
    'connections' in whole &&
    Array.isArray(whole.connections)
  )
    return whole.connections;
  return text
    .split('\n')
    .map(parseJson)
    .filter((line): line is AirConnection => typeof line === 'object' && line !== null && 'up' in line);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function runCosts(
  mcu: McuCosts | undefined,
  connections: readonly AirConnection[],
  uartBytes: { tx: number; rx: number },
): RunCosts {
  const measured = mcu ?? NO_MCU_COSTS;
  const modemHandshakes = { full: 0, resumed: 0 };
  for (const connection of connections) {
    if (connection.modemHandshake) modemHandshakes[connection.modemHandshake]++;
  }
  return {
    mcuTlsHeapPeakBytes: measured.mbedtlsHeapPeakBytes,
    mcuTlsHeapBytesAfterClose: measured.mbedtlsHeapBytesAtEnd,
    mcuTlsCredentialBytes: measured.credentialBytesPerSocketMax,
    uartBytes,
    airBytes: airTotals(connections),
    handshakes: {
      full: measured.handshakes.full + modemHandshakes.full,
      resumed: measured.handshakes.resumed + modemHandshakes.resumed,
    },
  };
}
