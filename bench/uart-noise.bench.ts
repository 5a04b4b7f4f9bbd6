// The long UART-noise campaign behind the suite's one seeded run: scenarios/uart-noise.ts over many
// seeds in both modes, through the real processes, counting bytes corrupted on the wire and corrupted
// bytes that reached the app (docs/reliability.md, "UART faults"). `npm run bench -- uart-noise`;
// TLSSIM_NOISE_SEEDS sets how many seeds (default 10).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Job, runMany } from '../lab/runner/run-many.ts';
import { loadScenario } from '../lab/runner/scenario-files.ts';
import { MODES } from '../lab/scenario/scenario-types.ts';
import { markdownTable } from './markdown-table.ts';

const SCENARIO = fileURLToPath(new URL('../scenarios/uart-noise.ts', import.meta.url));

export async function benchUartNoise(): Promise<string> {
  const seeds = Number(process.env.TLSSIM_NOISE_SEEDS ?? 10);
  const scenario = await loadScenario(SCENARIO);
  const outDir = mkdtempSync(join(tmpdir(), 'tlssim-noise-'));
  const totals = new Map(MODES.map((mode) => [mode, { runs: 0, passed: 0, wire: 0, app: 0 }]));
  for (let seed = 1; seed <= seeds; seed++) {
    const jobs: Job[] = MODES.map((mode) => ({ file: SCENARIO, scenario, mode }));
    const results = await runMany(jobs, {
      outDir: join(outDir, String(seed)),
      baud: 921_600,
      pacing: true,
      seed,
      parallel: 2,
    });
    for (const result of results) {
      const total = totals.get(result.mode);
      if (!total) continue;
      total.runs++;
      if (result.status === 'passed') total.passed++;
      total.wire += result.uartFaults?.bytesCorrupted ?? 0;
      total.app += result.metrics.appBytesCorrupted ?? 0;
    }
  }
  return markdownTable(
    ['mode', 'runs passed', 'bytes corrupted on the wire', 'corrupted bytes that reached the app'],
    MODES.map((mode) => {
      const t = totals.get(mode) ?? { runs: 0, passed: 0, wire: 0, app: 0 };
      return [mode, `${t.passed} of ${t.runs}`, String(t.wire), String(t.app)];
    }),
  );
}
