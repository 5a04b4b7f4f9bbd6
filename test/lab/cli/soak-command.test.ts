// `tlssim soak`: a few cycles through real processes give start → end figures for both processes and
// the modem's socket table, in --json; a bad mode is a usage error.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const CLI = fileURLToPath(new URL('../../../bin/tlssim.mjs', import.meta.url));

function tlssim(args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('tlssim soak', function () {
  this.timeout(120_000);

  it('runs the cycles and reports RSS, fds and modem sockets at start and end, none left open', () => {
    const out = mkdtempSync(join(tmpdir(), 'tlssim-soak-'));
    const run = tlssim(['soak', '--cycles', '3', '--mode', 'offload', '--no-pacing', '--json', '--out', out]);
    expect(run.code, run.stderr).to.equal(0);
    const report = JSON.parse(run.stdout) as {
      cycles: number;
      results: { status: string; metrics: Record<string, number> }[];
    };
    expect(report.cycles).to.equal(3);
    const [{ status, metrics }] = report.results;
    expect(status).to.equal('passed');
    for (const key of ['mcuRssKiB', 'mcuFds', 'modemRssKiB', 'modemFds'])
      for (const at of ['start', 'end']) expect(metrics[`${at}.${key}`], `${at}.${key}`).to.be.greaterThan(0);
    expect(metrics['end.modemSockets']).to.equal(0);
    expect(metrics.cycles).to.equal(3);
  });

  it('a bad --mode is a usage error', () => {
    expect(tlssim(['soak', '--mode', 'both-ways']).code).to.equal(2);
  });
});
