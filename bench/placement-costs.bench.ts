// The issue "What each placement costs", item 4: per-connect costs in both modes, the shared-config
// saving, and per-socket heap for TLS, mutual TLS and DTLS, printed as Markdown ready for docs/costs.md.
import type { Lab } from '../lab/servers/lab.ts';
import { benchHandshakeCosts } from './handshake-costs.bench.ts';
import { benchSharedConfig } from './shared-config.bench.ts';
import { benchSocketHeap } from './socket-heap.bench.ts';

/** What each figure includes; docs/costs.md has the method in full. */
const METHOD = [
  'Air bytes: the modem’s ledger for one connection, open to close, no application data: TLS payload ' +
    'plus the IPv4 + TCP header estimate (docs/costs.md, *Bytes over the air*); the handshake part is ' +
    'handshake and ChangeCipherSpec records only.',
  'UART setup: bytes before connect() (offload: the AT+QFUPL credential upload and AT+QSSLCFG; mbedtls: ' +
    'none, the modem socket opens at connect). UART connect: connect() alone, MCU→modem (tx) / back (rx).',
  'Heap: the sizes Mbed TLS asked calloc for, per socket owner (docs/costs.md, *MCU RAM*). Offload mode ' +
    'runs no Mbed TLS on the MCU; its TLS memory is the credential bytes passed through setsockopt.',
  'Times: the in-process device on the mock UART, unpaced, loopback servers — for comparing modes, not ' +
    'what a device at 115200 baud sees (`npm run bench -- tls-modes` has paced figures).',
  'Resumption: a resumed ClientHello carries the session ticket (RFC 5077), so it sends more up than a ' +
    'full one; the saving is downstream (no Certificate flight, no ServerKeyExchange).',
];

export async function benchPlacementCosts(lab: Lab): Promise<string> {
  const handshakes = await benchHandshakeCosts(lab);
  const shared = await benchSharedConfig(lab);
  const heap = await benchSocketHeap(lab);
  return [
    '#### Full and resumed handshakes per mode (tls-echo)',
    '',
    handshakes.table,
    '',
    '#### Sharing one SslConfig between N sockets connected at once',
    '',
    shared.table,
    '',
    '#### One socket’s Mbed TLS heap: handshake peak and steady state',
    '',
    heap.table,
    '',
    ...[...handshakes.notes, ...shared.notes, ...heap.notes].map((n) => `* ${n}.`),
    ...METHOD.map((m) => `* ${m}`),
  ].join('\n');
}
