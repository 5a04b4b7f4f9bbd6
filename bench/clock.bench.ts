// Simulated time against the wall clock, through the real processes: the host time a run takes on each
// clock, next to the simulated time it covered, for scenarios/bulk-transfer.ts (64 KiB each way at
// 115200 baud: 5.7 s of line time one way) and scenarios/connect-secure-server.ts. Both clocks run here,
// one after the other, so the ratio compares like with like. `npm run bench -- clock`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMany } from '../lab/runner/run-many.ts';
import { loadScenario } from '../lab/runner/scenario-files.ts';
import { MODES } from '../lab/scenario/scenario-types.ts';
import { markdownTable } from './markdown-table.ts';

const SCENARIOS = ['bulk-transfer', 'connect-secure-server'].map((name) =>
  fileURLToPath(new URL(`../scenarios/${name}.ts`, import.meta.url)),
);

export async function benchClock(): Promise<string> {
  const rows: string[][] = [];
  for (const file of SCENARIOS) {
    const scenario = await loadScenario(file);
    for (const mode of MODES) {
      const host: Record<string, string> = {};
      let simulated = '';
      for (const clock of ['simulated', 'wall'] as const) {
        const outDir = mkdtempSync(join(tmpdir(), `tlssim-clock-${clock}-`));
        const [result] = await runMany([{ file, scenario, mode }], {
          outDir,
          baud: 115_200,
          pacing: true,
          clock,
          parallel: 1,
        });
        if (!result) continue;
        host[clock] = result.status === 'passed' ? `${result.durationMs}` : `failed: ${result.error}`;
        if (clock === 'simulated') simulated = `${result.simulatedMs ?? ''}`;
      }
      const ratio = Number(host.simulated) / Number(host.wall);
      rows.push([
        `${scenario.name} (${mode})`,
        simulated,
        host.simulated ?? '',
        host.wall ?? '',
        Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '',
      ]);
    }
  }
  return markdownTable(
    [
      'run',
      'simulated ms covered',
      'host ms, --clock simulated',
      'host ms, --clock wall',
      'simulated / wall',
    ],
    rows,
  );
}
