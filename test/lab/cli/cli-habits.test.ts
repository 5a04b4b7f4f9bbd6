// What the command line does for a person at a terminal: `tlssim --version` from package.json, a
// did-you-mean for a mistyped command or flag (still exit code 2), and examples in every --help that
// use only flags the command documents.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { COMMANDS, loadAllCommands } from '../../../lab/cli/command-index.ts';
import { closestNames, didYouMean, editDistance } from '../../../lab/cli/did-you-mean.ts';
import { main } from '../../../lab/cli/main.ts';

const commands = await loadAllCommands();

/** main() in this process, its console output captured. */
async function tlssim(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  console.log = (...parts: unknown[]) => void out.push(parts.join(' '));
  console.error = (...parts: unknown[]) => void err.push(parts.join(' '));
  try {
    const code = await main(argv);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    Object.assign(console, { log, error });
  }
}

describe('CLI habits', () => {
  it('edit distance counts insertions, deletions, substitutions and adjacent swaps as one each', () => {
    expect(editDistance('run', 'run')).to.equal(0);
    expect(editDistance('rnu', 'run')).to.equal(1);
    expect(editDistance('trce', 'trace')).to.equal(1);
    expect(editDistance('--josn', '--json')).to.equal(1);
    expect(editDistance('lbx', 'lab')).to.equal(2);
    expect(editDistance('', 'abc')).to.equal(3);
    expect(closestNames('frobnicate', ['run', 'trace'])).to.deep.equal([]);
    expect(closestNames('mcu', ['mcu', 'run'])).to.deep.equal(['mcu']);
    expect(didYouMean('lba', ['lab', 'demo'])).to.equal('; did you mean "lab"?');
  });

  it("tlssim --version prints package.json's version", async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    for (const flag of ['--version', '-v']) {
      const run = await tlssim(flag);
      expect(run.code).to.equal(0);
      expect(run.stdout).to.equal(version);
    }
    expect((await tlssim('--help')).stdout).to.contain('tlssim --version');
  });

  it('an unknown command suggests the close one and exits 2', async () => {
    const typo = await tlssim('rnu', 'scenarios');
    expect(typo.code).to.equal(2);
    expect(typo.stderr).to.match(/^tlssim: unknown command "rnu"; did you mean "run"\?/);
    const far = await tlssim('frobnicate');
    expect(far.code).to.equal(2);
    expect(far.stderr).to.match(/^tlssim: unknown command "frobnicate"\n/);
    const flag = await tlssim('--verison');
    expect(flag.code).to.equal(2);
    expect(flag.stderr).to.contain('unknown option "--verison"; did you mean "--version"?');
  });

  it('an unknown flag suggests the close one and exits 2, before anything runs', async () => {
    const run = await tlssim('run', '--shrad', '1/2');
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/^tlssim run: unknown option --shrad; did you mean "--shard"\?/);
    const trace = await tlssim('trace', '--hmtl', 'x.html', 'out/x');
    expect(trace.code).to.equal(2);
    expect(trace.stderr).to.contain('did you mean "--html"?');
    const far = await tlssim('run', '--frobnicate');
    expect(far.code).to.equal(2);
    expect(far.stderr).to.contain("Unknown option '--frobnicate'");
  });

  it('run refuses a malformed --shard, --grep or --retries with exit 2', async () => {
    for (const args of [
      ['--shard', '5/4'],
      ['--shard', '0/2'],
      ['--grep', '('],
      ['--retries', '-1'],
    ]) {
      const run = await tlssim('run', 'test/lab/runner/fixtures/offload-only.ts', ...args);
      expect(run.code, args.join(' ')).to.equal(2);
    }
    const none = await tlssim('run', 'test/lab/runner/fixtures/offload-only.ts', '--grep', 'no-such-run');
    expect(none.code).to.equal(2);
    expect(none.stderr).to.contain('no run matches --grep /no-such-run/');
  });

  it('the command index lists every command under its own summary, loading none until it runs', () => {
    expect(commands.map((c) => [c.name, c.summary])).to.deep.equal(COMMANDS.map((c) => [c.name, c.summary]));
  });

  for (const command of commands)
    it(`tlssim ${command.name} --help has examples that use only its documented flags`, async () => {
      const help = await tlssim(command.name, '--help');
      expect(help.code).to.equal(0);
      const [options, examples] = help.stdout.split(/\nExamples\b/);
      expect(examples, 'an Examples: section').to.be.a('string');
      const documented = new Set(options.match(/--[a-z][a-z-]*/g));
      const exampleLines = examples.split('\n').filter((line) => line.trim().startsWith('tlssim '));
      expect(exampleLines.length).to.be.greaterThan(0);
      for (const line of exampleLines) {
        expect(line.trim().split(/\s+/)[1], line).to.equal(command.name);
        for (const flag of line.match(/(?<=\s)--[a-z][a-z-]*/g) ?? [])
          expect(documented, line).to.include(flag);
      }
    });
});
