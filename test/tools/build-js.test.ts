// The compiled JavaScript in dist/ (tools/build-js.mjs, tools/compiled-js.mjs), built in a copy of the
// checkout so that the test neither races edits in this one nor replaces its dist/. From a current
// build every process starts compiled, and the scenarios pass in both modes (the scenario's 'tlssim'
// is the compiled modules the MCU process runs, or offload mode would run the wrong TLSSocket). A
// source added or edited since the build makes the next start run through tsx, and says so.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';

const ROOT = join(import.meta.dirname, '..', '..');
const COPIED = ['index.ts', 'lab', 'mcu', 'modem', 'shared', 'tools', 'bin', 'scenarios', 'package.json'];

describe('compiled JavaScript (dist/)', function () {
  this.timeout(120_000);
  const copy = mkdtempSync(join(tmpdir(), 'tlssim-dist-'));
  const dist = join(copy, 'dist');
  let staleReason: () => string | null;

  const node = (args: string[]) => {
    const result = spawnSync(process.execPath, args, {
      cwd: copy,
      encoding: 'utf8',
      timeout: 100_000,
      env: { ...process.env, TLSSIM_DEBUG: 'runner', TLSSIM_TSX: '' },
    });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };
  const build = (...flags: string[]) => node([join(copy, 'tools', 'build-js.mjs'), ...flags]);
  const run = (scenarios: string[], mode: string) =>
    node([
      join(copy, 'bin', 'tlssim.mjs'),
      'run',
      ...scenarios.map((name) => join(copy, 'scenarios', `${name}.ts`)),
      '--mode',
      mode,
      '--no-pacing',
      '--out',
      join(copy, 'out'),
    ]);
  /** The launches the runner logged: "mcu: node <entry>…" */
  const launches = (output: string) => [...output.matchAll(/\[RUNNER\]: (mcu|modem): node (.*)$/gm)];

  before(async () => {
    for (const entry of [...COPIED, 'tsconfig.json'])
      cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    if (existsSync(join(ROOT, 'build'))) symlinkSync(join(ROOT, 'build'), join(copy, 'build')); // the Mbed TLS binding
    const built = build();
    expect(built.status, built.output).to.equal(0);
    ({ distStaleReason: staleReason } = await import(
      pathToFileURL(join(copy, 'tools', 'compiled-js.mjs')).href
    ));
  });
  after(() => rmSync(copy, { recursive: true, force: true }));

  it('compiles every source to dist/, one .js file each, with .ts imports rewritten', () => {
    expect(staleReason()).to.equal(null);
    expect(existsSync(join(dist, 'index.js'))).to.equal(true);
    expect(existsSync(join(dist, 'lab', 'runner', 'spawn-tlssim.js'))).to.equal(true);
    const version = node([join(copy, 'bin', 'tlssim.mjs'), '--version']);
    expect(version.output.trim()).to.equal(
      JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8')).version,
    );
  });

  it('runs scenarios end to end in both modes with every MCU and modem process compiled', () => {
    // A checkout source a scenario imports by path is the compiled module 'tlssim' hands out, too.
    writeFileSync(
      join(copy, 'scenarios', 'one-instance.ts'),
      [
        "import { defineScenario, expectTrue, getConfig } from 'tlssim';",
        "import { getConfig as byPath } from '../mcu/mbed-config.ts';",
        'export default defineScenario({',
        "  name: 'fixture-one-instance',",
        "  modes: ['offload'],",
        '  async app() {',
        "    expectTrue('one mbed-config module', getConfig === byPath);",
        "    expectTrue('the mode the runner set', getConfig('nsapi.offload-tlssocket') === true);",
        '  },',
        '});',
        '',
      ].join('\n'),
    );
    const result = run(['plain-tcp-echo', 'connect-secure-server', 'one-instance'], 'both');
    expect(result.status, result.output).to.equal(0);
    expect(result.output).to.match(/5 passed, 0 failed, 1 skipped/);
    const started = launches(result.output);
    expect(started.map((m) => m[1]).sort()).to.deep.equal([
      ...Array<string>(5).fill('mcu'),
      ...Array<string>(5).fill('modem'),
    ]);
    for (const [, , entry] of started) expect(entry).to.equal(join(dist, 'lab', 'cli', 'main.js'));
    expect(result.output).not.to.include('run through tsx');
  });

  it('is stale once a source file is added, and --if-stale rebuilds it', () => {
    const added = join(copy, 'shared', 'added-since-the-build.ts');
    writeFileSync(added, 'export const x = 1;\n');
    expect(staleReason()).to.equal('shared changed since the build');
    rmSync(added);
    expect(staleReason()).to.equal('shared changed since the build');
    const rebuilt = build('--if-stale');
    expect(rebuilt.output).to.include('compiled to dist/');
    expect(staleReason()).to.equal(null);
    expect(build('--if-stale').output).to.equal('');
  });

  it('falls back to tsx for a source edited since the build, and says so once', () => {
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(copy, 'lab', 'cli', 'main.ts'), later, later);
    expect(staleReason()).to.equal('lab/cli/main.ts changed since the build');
    const result = run(['plain-tcp-echo'], 'both');
    expect(result.status, result.output).to.equal(0);
    expect(
      result.output.match(/run through tsx: lab\/cli\/main\.ts changed since the build/g),
    ).to.have.length(1);
    const started = launches(result.output);
    expect(started).to.have.length(4);
    for (const [, , entry] of started) expect(entry).to.match(/^--import \S+ \S+\/lab\/cli\/main\.ts$/);
  });

  it('runs through tsx when there is no build', () => {
    rmSync(dist, { recursive: true });
    expect(staleReason()).to.equal('there is no build in dist/');
    const help = node([join(copy, 'bin', 'tlssim.mjs'), '--help']);
    expect(help.status, help.output).to.equal(0);
    expect(help.output).to.include('tlssim run');
  });
});
