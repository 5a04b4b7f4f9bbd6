// docs/ci.md shows a failing run as a user sees it; this runs the same fixture and checks that every
// line of that example still appears in the real output (paths, ports and durations aside).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';

/** The lines of the docs' example, without the command line itself. */
function documentedLines(): string[] {
  const doc = readFileSync('docs/ci.md', 'utf8');
  const section = doc.slice(doc.indexOf('## When a run fails'));
  const block = section.slice(
    section.indexOf('```text') + 7,
    section.indexOf('```', section.indexOf('```text') + 7),
  );
  return block.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('$ '));
}

/** What changes from run to run and machine to machine: folders, ports, seconds, which run ends first. */
function normal(line: string, outDir: string): string {
  return line
    .replaceAll(outDir, '<out>')
    .replaceAll('/home/me/tlssim/out', '<out>')
    .replace(/"127\.0\.0\.1",\d+/g, '"127.0.0.1",<port>')
    .replace(/\) \d+\.\d s$/, ') <s>')
    .replace(/^\[\d+\/(\d+)\] /, '[k/$1] ')
    .trimEnd();
}

describe('docs/ci.md: a failing run as a user sees it', function () {
  this.timeout(120_000);

  it('the example is what tlssim run prints for test/fixtures/docs/wrong-root-ca.ts', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'tlssim-doc-fail-'));
    const run = spawnSync(
      process.execPath,
      ['bin/tlssim.mjs', 'run', 'test/fixtures/docs/wrong-root-ca.ts', '--out', outDir],
      { encoding: 'utf8' },
    );
    expect(run.status, run.stderr).to.equal(1);
    const printed = run.stdout.split('\n').map((line) => normal(line, outDir));
    const documented = documentedLines().map((line) => normal(line, outDir));
    expect(documented.length).to.be.greaterThan(15);
    for (const line of documented) expect(printed, `docs/ci.md line not printed: ${line}`).to.include(line);
  });
});
