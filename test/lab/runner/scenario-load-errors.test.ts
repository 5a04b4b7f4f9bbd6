// A scenario file that does not load is set aside with the file and the real cause (what the suite in
// test/scenarios turns into one failing test), and the files beside it still load.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { findScenarioFiles, loadScenarios } from '../../../lab/runner/scenario-files.ts';

const good = (name: string) =>
  `import { defineScenario } from 'tlssim';\nexport default defineScenario({ name: '${name}', async app() {} });\n`;

describe('scenario files that do not load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tlssim-load-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('names the file and the cause of a syntax error, a top-level throw and a misspelt key; the rest load', async () => {
    writeFileSync(join(dir, 'a-good.ts'), good('a-good'));
    writeFileSync(
      join(dir, 'b-syntax.ts'),
      "import { defineScenario } from 'tlssim';\nexport default defineScenario({ name: 'b', async app() { const = 1; } });\n",
    );
    writeFileSync(
      join(dir, 'c-throws.ts'),
      "import { defineScenario } from 'tlssim';\n\nconst settings = JSON.parse('{oops');\nexport default defineScenario({ name: 'c', async app() {}, settings });\n",
    );
    writeFileSync(
      join(dir, 'd-key.ts'),
      "import { defineScenario } from 'tlssim';\nexport default defineScenario({ name: 'd', async app() {}, timeout: 5 } as never);\n",
    );
    writeFileSync(join(dir, 'e-good.ts'), good('e-good'));
    const { loaded, broken } = await loadScenarios(findScenarioFiles([dir]));
    expect(loaded.map((l) => l.scenario.name)).to.deep.equal(['a-good', 'e-good']);
    expect(broken.map((b) => b.file)).to.deep.equal(
      ['b-syntax.ts', 'c-throws.ts', 'd-key.ts'].map((f) => join(dir, f)),
    );
    expect(broken[0].message).to.match(/b-syntax\.ts: .*b-syntax\.ts:2:\d+: ERROR: Expected identifier/s);
    expect(broken[1].message).to.match(/c-throws\.ts: .*JSON.* \(at .*c-throws\.ts:3:\d+\)$/);
    expect(broken[2].message).to.contain('d-key.ts: unknown key "timeout"');
  });
});
