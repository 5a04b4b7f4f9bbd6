import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { defaultModes, findScenarioFiles } from '../../../lab/runner/scenario-files.ts';
import type { ScenarioDefinition } from '../../../lab/scenario/scenario-types.ts';

const scenario = (modes?: ScenarioDefinition['modes']): ScenarioDefinition => ({
  name: 's',
  modes,
  app: async () => {},
});

describe('scenario files and their modes', () => {
  it('finds .ts files under folders, skipping _helpers and dot files, sorted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlssim-scn-'));
    for (const f of ['b.ts', 'a.ts', '_support.ts', '.hidden.ts', 'notes.md'])
      writeFileSync(join(dir, f), '');
    expect(findScenarioFiles([dir]).map((f) => f.slice(dir.length + 1))).to.deep.equal(['a.ts', 'b.ts']);
    expect(() => findScenarioFiles([join(dir, 'missing')])).to.throw(/no such scenario/);
  });

  it('defaults to both modes; a scenario’s own modes win; mbed_app.json’s nsapi.offload-tlssocket picks one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlssim-scn-'));
    const file = join(dir, 'x.ts');
    expect(defaultModes(file, scenario())).to.deep.equal(['mbedtls', 'offload']);
    writeFileSync(
      join(dir, 'mbed_app.json'),
      JSON.stringify({ target_overrides: { '*': { 'nsapi.offload-tlssocket': true } } }),
    );
    expect(defaultModes(file, scenario())).to.deep.equal(['offload']);
    expect(defaultModes(file, scenario(['mbedtls']))).to.deep.equal(['mbedtls']);
    writeFileSync(
      join(dir, 'mbed_app.json'),
      JSON.stringify({ target_overrides: { '*': { 'nsapi.offload-tlssocket': null } } }),
    );
    expect(defaultModes(file, scenario())).to.deep.equal(['mbedtls']);
  });
});
