// The cost rows of `tlssim demo`'s side-by-side table (docs/costs.md): the MCU's TLS heap, bytes over
// the air with the handshake's share, and what a resumed reconnect saves. Every figure comes from a
// run's measured costs, its air.jsonl and its metrics; a failed run shows "n/a".
import { join } from 'node:path';
import { readAirConnections } from '../runner/run-costs.ts';
import type { ScenarioResult } from '../runner/run-scenario.ts';
import { groupDigits, handshakeSharePercent, reconnectFigures } from './cost-figures.ts';

/** One mode's runs the cost rows read: the usage scenario (one connection) and the reconnect. */
export interface DemoCostRuns {
  send: ScenarioResult | undefined;
  reconnect: ScenarioResult | undefined;
}

export type DemoRow = [label: string, mbedtls: string, offload: string];

const FAILED = 'n/a (run failed)';
const B = (n: number) => `${groupDigits(n)} B`;

const passed = (result: ScenarioResult | undefined): ScenarioResult | null =>
  result?.status === 'passed' ? result : null;

/** Offload: Mbed TLS never runs on the MCU; what it holds for TLS is the credentials it handed over. */
function heapPeak(run: ScenarioResult): string {
  const { mcuTlsHeapPeakBytes: peak, mcuTlsCredentialBytes: credentials } = run.costs;
  return credentials > 0 ? `${groupDigits(peak)} + ${B(credentials)} credentials` : B(peak);
}

function airUpDown(run: ScenarioResult): string {
  const { up, down } = run.costs.airBytes;
  return `${groupDigits(up)} / ${B(down)}`;
}

function handshakeShare(run: ScenarioResult): string {
  const air = run.costs.airBytes;
  return `${B(air.handshake.up + air.handshake.down)} (${handshakeSharePercent(air)} %)`;
}

function reconnectAir(run: ScenarioResult): string {
  const figures = reconnectFigures(
    readAirConnections(join(run.dir, 'air.jsonl')),
    run.costs.handshakes.resumed,
  );
  if (!figures) return 'n/a (fewer than 2 connections)';
  const { firstAirBytes: first, secondAirBytes: second } = figures;
  const note = figures.resumed ? `${Math.round((100 * second) / first)} %` : 'not resumed';
  return `${groupDigits(first)} → ${B(second)} (${note})`;
}

function reconnectTime(run: ScenarioResult): string {
  const { firstConnectMs: first, secondConnectMs: second } = run.metrics;
  return first === undefined || second === undefined ? 'n/a' : `${first} → ${second} ms`;
}

const ROWS: Array<[string, keyof DemoCostRuns, (run: ScenarioResult) => string]> = [
  ['MCU TLS heap (peak)', 'send', heapPeak],
  ['MCU TLS heap after close', 'send', (run) => B(run.costs.mcuTlsHeapBytesAfterClose)],
  ['bytes over the air up / down', 'send', airUpDown],
  ['  of which TLS handshake', 'send', handshakeShare],
  ['reconnect air bytes: full → resumed', 'reconnect', reconnectAir],
  ['reconnect connect(): full → resumed', 'reconnect', reconnectTime],
];

export function demoCostRows(mbedtls: DemoCostRuns, offload: DemoCostRuns): DemoRow[] {
  const cell = (runs: DemoCostRuns, which: keyof DemoCostRuns, value: (run: ScenarioResult) => string) => {
    const run = passed(runs[which]);
    return run ? value(run) : FAILED;
  };
  return ROWS.map(([label, which, value]) => [
    label,
    cell(mbedtls, which, value),
    cell(offload, which, value),
  ]);
}
