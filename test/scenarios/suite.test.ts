// The scenario suite (scenarios/) as CI runs it: every scenario in each of its modes, each run a real
// MCU process and a real modem process on a paced UART, checked by the runner (including `uart`
// expectations on the trace).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { type Job, runMany } from '../../lab/runner/run-many.ts';
import type { ScenarioResult } from '../../lab/runner/run-scenario.ts';
import { defaultModes, findScenarioFiles, loadScenario } from '../../lab/runner/scenario-files.ts';

/** Fast but still paced: 921600 baud 8N1 is 92 160 B/s on the wire. */
const SUITE_BAUD = 921_600;

const jobs: Job[] = [];
for (const file of findScenarioFiles(['scenarios'])) {
  const scenario = await loadScenario(file);
  for (const mode of defaultModes(file, scenario)) jobs.push({ file, scenario, mode });
}

describe('scenario suite (real MCU and modem processes)', function () {
  this.timeout(600_000);
  let results: ScenarioResult[] = [];

  before(async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'tlssim-suite-'));
    results = await runMany(jobs, { outDir, baud: SUITE_BAUD, pacing: true, parallel: 2 });
  });

  for (const [index, job] of jobs.entries()) {
    it(`${job.scenario.name} (${job.mode})`, () => {
      const result = results[index];
      expect(result, 'the run produced a result').to.not.equal(undefined);
      expect(result.status, `step "${result.step}": ${result.error}\n  trace: ${result.trace}`).to.equal(
        'passed',
      );
    });
  }
});
