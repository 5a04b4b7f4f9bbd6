// `npm run bench`: every benchmark, printed as a table of figures with ratios to in-process baselines;
// the costs bench prints Markdown for docs/costs.md. `npm run bench -- costs tls` runs only the benches
// whose name contains one of the words (names: uart, dtls-loss, tls-modes, link, uart-noise, fuzz, clock, trace, costs, start).

import { fuzzModem } from '../lab/fuzz/fuzz-modem.ts';
import { startLab } from '../lab/servers/lab.ts';
import { benchAtAndEcho, type Row } from './at-and-echo.bench.ts';
import { benchClock } from './clock.bench.ts';
import { benchDtlsLoss } from './dtls-loss.bench.ts';
import { benchLinkConnect } from './link-connect.bench.ts';
import { benchPlacementCosts } from './placement-costs.bench.ts';
import { benchProcessStart } from './process-start.bench.ts';
import { benchTlsModes } from './tls-modes.bench.ts';
import { benchTraceReader } from './trace-reader.bench.ts';
import { benchUartNoise } from './uart-noise.bench.ts';

function print(title: string, rows: Row[]): void {
  const w = Math.max(...rows.map((r) => r.figure.length));
  const v = Math.max(...rows.map((r) => r.value.length));
  console.log(`\n${title}`);
  for (const r of rows) console.log(`  ${r.figure.padEnd(w)}  ${r.value.padStart(v)}  ${r.ratio ?? ''}`);
}

const lab = await startLab({ kinds: ['tcp-echo', 'tls-echo', 'tls-mtls-echo'] });
const benches: [name: string, run: () => Promise<void>][] = [
  ['uart', async () => print('UART and plain sockets', await benchAtAndEcho(lab))],
  [
    'dtls-loss',
    async () =>
      print('DTLS over the modem UDP socket through the seeded fault proxy', await benchDtlsLoss(lab)),
  ],
  [
    'tls-modes',
    async () =>
      print(
        'TLS: mbedtls mode vs offload mode (in-process device, tcp:// UART through the wire)',
        await benchTlsModes(lab),
      ),
  ],
  [
    'link',
    async () => {
      console.log('\nconnect() per placement and link profile (Markdown; in-process device, unpaced UART)\n');
      console.log(await benchLinkConnect(lab));
    },
  ],
  [
    'uart-noise',
    async () => {
      console.log('\nUART noise over many seeds (Markdown; real processes, 921 600 baud)\n');
      console.log(await benchUartNoise());
    },
  ],
  [
    'fuzz',
    async () => {
      // The long campaign behind the short seeded batch in test/lab/fuzz (docs/reliability.md).
      const lines = Number(process.env.TLSSIM_FUZZ_LINES ?? 300_000);
      const started = performance.now();
      const report = await fuzzModem({ seed: 7, lines, every: 1000 });
      const seconds = (performance.now() - started) / 1000;
      print(`Fuzzed AT lines against the simulated BG96 (seed 7)`, [
        { figure: 'lines / bytes', value: `${report.lines} / ${report.bytes}` },
        { figure: 'internal errors', value: String(report.internalErrors.length) },
        { figure: 'checkpoints without OK to AT', value: `${report.unanswered} of ${report.checkpoints}` },
        { figure: 'lines per second', value: (report.lines / seconds).toFixed(0) },
      ]);
    },
  ],
  [
    'clock',
    async () => {
      console.log('\nSimulated time against the wall clock (Markdown; real processes, 115200 baud)\n');
      console.log(await benchClock());
    },
  ],
  ['trace', async () => print('Reading long traces (synthetic uart.jsonl)', benchTraceReader())],
  [
    'start',
    async () => print('Starting an MCU or modem process (dist/ against tsx)', await benchProcessStart()),
  ],
  [
    'costs',
    async () => {
      console.log('\nWhat each placement costs (Markdown for docs/costs.md; in-process device, mock UART)\n');
      console.log(await benchPlacementCosts(lab));
    },
  ],
];
const words = process.argv.slice(2);
const selected = benches.filter(([name]) => words.length === 0 || words.some((w) => name.includes(w)));
try {
  if (selected.length === 0) {
    console.error(`no bench matches ${words.join(' ')}; names: ${benches.map(([n]) => n).join(', ')}`);
    process.exitCode = 2;
  }
  for (const [, run] of selected) await run();
} finally {
  await lab.close();
}
