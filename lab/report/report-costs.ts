// A run's cost card (docs/costs.md): the four things a placement costs, side by side in small boxes —
// the MCU's TLS memory, the UART bytes, the bytes over the air with their TLS split, and the handshakes
// (with each connection's air bytes when the run made more than one, e.g. a resumed reconnect).
import type { AirConnection } from '../../modem/air/air-ledger.ts';
import type { RunCosts } from '../runner/run-costs.ts';
import { connectionAirBytes, handshakeSharePercent } from './cost-figures.ts';
import { escapeHtml } from './html-escape.ts';

// The report's number style (report-summary.ts): en-US grouping, bytes as "B".
const n = (value: number) => value.toLocaleString('en-US');
const bytes = (value: number) => `${n(value)} B`;

/** A label, its value, and the bar colour it stands for (the air bar's parts). */
type Figure = [label: string, value: string, swatch?: string];

function box(title: string, figures: Figure[], extra = ''): string {
  const rows = figures.map(([label, value, swatch]) => {
    const key = swatch ? `<i class="${swatch}"></i>` : '';
    return `<tr><th>${key}${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`;
  });
  return `<div class="cost"><h4>${escapeHtml(title)}</h4><table>${rows.join('')}</table>${extra}</div>`;
}

function memoryBox(costs: RunCosts): string {
  const peak = costs.mcuTlsHeapPeakBytes;
  const inModem = peak === 0 && costs.mcuTlsCredentialBytes > 0;
  const figures: Figure[] = [
    ['Mbed TLS heap, peak', bytes(peak)],
    ['after close', bytes(costs.mcuTlsHeapBytesAfterClose)],
  ];
  // Offload: no Mbed TLS on the MCU; the credentials it handed to the modem are its TLS memory.
  if (costs.mcuTlsCredentialBytes > 0)
    figures.push(['credentials handed over', bytes(costs.mcuTlsCredentialBytes)]);
  const note = inModem
    ? '<p class="note">TLS runs in the modem: the MCU keeps only the credentials.</p>'
    : '';
  return box('MCU TLS memory', figures, note);
}

function uartBox(costs: RunCosts): string {
  const { tx, rx } = costs.uartBytes;
  return box('UART', [
    ['MCU → modem (tx)', bytes(tx)],
    ['modem → MCU (rx)', bytes(rx)],
    ['total', bytes(tx + rx)],
  ]);
}

/** The air bytes' parts as one bar: handshake, application data, headers, and the rest (alerts). */
function airBar(costs: RunCosts): string {
  const air = costs.airBytes;
  const total = air.up + air.down;
  if (total === 0) return '';
  const handshake = air.handshake.up + air.handshake.down;
  const application = air.application.up + air.application.down;
  const headers = air.headers.up + air.headers.down;
  const parts: Array<[string, string, number]> = [
    ['seg-hs', 'TLS handshake', handshake],
    ['seg-cipher', 'application data', application],
    ['seg-headers', 'IP/TCP headers (estimate)', headers],
    ['seg-other', 'alerts', total - handshake - application - headers],
  ];
  const spans = parts
    .filter(([, , value]) => value > 0)
    .map(
      ([css, label, value]) =>
        `<span class="${css}" style="width:${((100 * value) / total).toFixed(3)}%" title="${escapeHtml(`${label}: ${bytes(value)}`)}"></span>`,
    );
  return `<div class="bar small" role="img" aria-label="where the bytes over the air went">${spans.join('')}</div>`;
}

function airBox(costs: RunCosts): string {
  const air = costs.airBytes;
  const upDown = (x: { up: number; down: number }) => `${n(x.up)} / ${bytes(x.down)}`;
  return box(
    'Over the air (up / down)',
    [
      ['connections', n(air.connections)],
      ['total', upDown(air)],
      ['TLS handshake', `${upDown(air.handshake)} (${handshakeSharePercent(air)} %)`, 'seg-hs'],
      ['application data', upDown(air.application), 'seg-cipher'],
      ['IP/TCP headers (estimate)', upDown(air.headers), 'seg-headers'],
    ],
    airBar(costs),
  );
}

function handshakesBox(costs: RunCosts, connections: readonly AirConnection[]): string {
  const figures: Figure[] = [
    ['full', n(costs.handshakes.full)],
    ['resumed', n(costs.handshakes.resumed)],
  ];
  // Per connection only when there is more than one: the reconnect's saving is the point.
  if (connections.length > 1)
    connections.forEach((c, i) => {
      const kind = c.modemHandshake ? ` (${c.modemHandshake})` : '';
      figures.push([`connection ${i + 1}${kind}, air`, bytes(connectionAirBytes(c))]);
    });
  return box('TLS handshakes', figures);
}

export function renderCostCard(costs: RunCosts, connections: readonly AirConnection[] = []): string {
  return `<div class="costs" aria-label="what this run cost">${memoryBox(costs)}${uartBox(costs)}${airBox(costs)}${handshakesBox(costs, connections)}</div>`;
}
