// A run's sequence diagram as inline SVG: five lanes, MCU | UART | modem | network | server, time
// running down. AT exchanges cross the UART lane, host-socket events the network lane; each row is
// one event at its time (printed at the left), coloured as the timeline is (green ciphertext, orange
// plaintext, red uploads, grey AT, purple URCs, blue network). Rows are evenly spaced: an AT exchange
// takes a millisecond and a handshake a second, so a scale proportional to time would hide one or the
// other; the time column says how far apart they are.
import type { TraceAnalysis } from '../trace/analysis-types.ts';
import { escapeHtml } from './html-escape.ts';
import { type Lane, type SequenceRow, sequenceRows } from './sequence-rows.ts';

/** Lane centres, in SVG units; the UART and the network are the wires between them. */
const LANES = [
  { name: 'MCU', x: 130 },
  { name: 'UART', x: 330 },
  { name: 'modem', x: 530 },
  { name: 'network', x: 730 },
  { name: 'server', x: 930 },
] as const;
const X: Record<Lane, number> = { mcu: LANES[0].x, modem: LANES[2].x, server: LANES[4].x };
const WIDTH = 1010;
const TOP = 40;
const ROW = 20;
/** Beyond this many rows the diagram stops and says how many it left out. */
export const MAX_SEQUENCE_ROWS = 600;

function arrow(row: SequenceRow, y: number): string {
  const x1 = X[row.from];
  const x2 = X[row.to];
  const mid = (x1 + x2) / 2;
  // The head drawn, not a marker: a marker is referenced by url(), which the report keeps free of.
  const back = x2 > x1 ? -8 : 8;
  const head = `<path d="M${x2},${y} L${x2 + back},${y - 4} L${x2 + back},${y + 4} z"/>`;
  return `<g class="seq ${row.kind}"><text class="t" x="4" y="${y + 4}">${row.t.toFixed(1)}</text><line x1="${x1}" y1="${y}" x2="${x2}" y2="${y}"/>${head}<text class="label" x="${mid}" y="${y - 4}" text-anchor="middle">${escapeHtml(row.label)}</text></g>`;
}

export function renderSequence(analysis: TraceAnalysis): string {
  const all = sequenceRows(analysis);
  const rows = all.slice(0, MAX_SEQUENCE_ROWS);
  const height = TOP + (rows.length + 1) * ROW;
  const lanes = LANES.map(
    (lane) =>
      `<text class="lane" x="${lane.x}" y="18" text-anchor="middle">${lane.name}</text><line class="life" x1="${lane.x}" y1="26" x2="${lane.x}" y2="${height}"/>`,
  ).join('');
  const arrows = rows.map((row, i) => arrow(row, TOP + (i + 1) * ROW)).join('');
  const more =
    all.length > rows.length
      ? `<p>… ${all.length - rows.length} later events left out of the diagram.</p>`
      : '';
  const network = all.some((r) => r.kind === 'net')
    ? ''
    : '<p>No network.jsonl beside this trace: the network lane is empty.</p>';
  return `<div class="sequence"><svg viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="sequence diagram: MCU, UART, modem, network, server">
<text class="t" x="4" y="18">ms</text>${lanes}${arrows}</svg>${network}${more}</div>`;
}
