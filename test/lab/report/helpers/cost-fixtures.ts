// Run costs and air.jsonl connections for report tests, shaped like a real run's (the figures of
// docs/costs.md, "Measured"), so a test can say which number should appear where.

import { type RunCosts, runCosts } from '../../../../lab/runner/run-costs.ts';
import type { AirConnection } from '../../../../modem/air/air-ledger.ts';
import type { AirDirection } from '../../../../modem/air/air-meter.ts';

function direction(handshake: number, application: number, alert: number, packets: number): AirDirection {
  return {
    handshake,
    application,
    alert,
    payloadBytes: handshake + application + alert,
    headerBytes: packets * 40,
    packets,
  };
}

/** One TLS connection as the modem's air ledger writes it. */
export function airConnection(
  up: [handshake: number, application: number, alert: number, packets: number],
  down: [handshake: number, application: number, alert: number, packets: number],
  modemHandshake: AirConnection['modemHandshake'] = null,
): AirConnection {
  return {
    id: 0,
    service: modemHandshake ? 'SSLClient' : 'TCP',
    remote: '127.0.0.1:4433',
    protocol: 'tcp',
    modemTls: modemHandshake !== null,
    up: direction(...up),
    down: direction(...down),
    modemHandshake,
  };
}

/** session-resumption in offload mode: a full handshake (3 527 B in all), then a resumed one (1 324 B). */
export const RECONNECT_CONNECTIONS = [
  airConnection([281, 49, 31, 8], [2446, 49, 31, 8], 'full'),
  airConnection([463, 49, 31, 8], [141, 49, 31, 6], 'resumed'),
];

/** connect-secure-server in mbedtls mode: Mbed TLS on the MCU, one full handshake. */
export function mbedtlsCosts(): RunCosts {
  const mcu = {
    mbedtlsHeapPeakBytes: 49_102,
    mbedtlsHeapBytesAtEnd: 0,
    handshakes: { full: 1, resumed: 0 },
    credentialBytesPerSocketMax: 0,
  };
  return runCosts(mcu, [airConnection([400, 71, 31, 10], [2446, 71, 31, 8])], { tx: 1170, rx: 3583 });
}

/** session-resumption in offload mode: no Mbed TLS on the MCU, the CA it handed over, two connections. */
export function offloadReconnectCosts(): RunCosts {
  const mcu = {
    mbedtlsHeapPeakBytes: 0,
    mbedtlsHeapBytesAtEnd: 0,
    handshakes: { full: 0, resumed: 0 },
    credentialBytesPerSocketMax: 1229,
  };
  return runCosts(mcu, RECONNECT_CONNECTIONS, { tx: 3540, rx: 687 });
}
