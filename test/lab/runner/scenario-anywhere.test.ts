// A scenario outside the checkout imports 'tlssim' (and its own helper) and runs: the runner loads it
// and the MCU process runs it through the same module hooks (lab/runner/scenario-hooks.mjs).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { runMany } from '../../../lab/runner/run-many.ts';
import { loadScenario } from '../../../lab/runner/scenario-files.ts';

describe('a scenario anywhere on disk', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'tlssim-anywhere-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("imports 'tlssim' from a folder without a package.json, loads and runs", async () => {
    writeFileSync(join(dir, '_helper.ts'), 'export const stepName: string = "from the helper";\n');
    const file = join(dir, 'my.ts');
    writeFileSync(
      file,
      [
        "import { defineScenario, NSAPI_ERROR_OK } from 'tlssim';",
        "import { stepName } from './_helper.ts';",
        'export default defineScenario({',
        "  name: 'fixture-anywhere',",
        "  modes: ['mbedtls'],",
        '  timeoutMs: 10_000,',
        '  async app({ step, metric }) {',
        '    step(stepName);',
        "    metric('ok', NSAPI_ERROR_OK);",
        '  },',
        "  uart: { plaintext: { present: ['AT'] } },",
        '});',
        '',
      ].join('\n'),
    );
    const scenario = await loadScenario(file);
    expect(scenario.name).to.equal('fixture-anywhere');
    const [result] = await runMany([{ file, scenario, mode: 'mbedtls' }], {
      outDir: join(dir, 'out'),
      baud: 921_600,
      pacing: false,
    });
    expect(result.status, `${result.step}: ${result.error}`).to.equal('passed');
    expect(result.metrics).to.deep.equal({ ok: 0 });
  });
});
