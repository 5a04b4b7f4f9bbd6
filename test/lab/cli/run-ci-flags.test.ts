// `tlssim run` with the flags CI leans on, through real processes: --grep selects (the rest reported as
// skipped), --retries turns a pass-on-retry into a flaky run (JSON, JUnit) and a run that fails every
// attempt into a failure with its reruns, and <out>/index.html lists every run linked to its files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const CLI = fileURLToPath(new URL('../../../bin/tlssim.mjs', import.meta.url));

describe('tlssim run --grep --retries, and index.html', function () {
  this.timeout(120_000);

  it('retries, reports the flaky run and the failed one, skips what --grep left out, writes index.html', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlssim-run-ci-'));
    const junit = join(dir, 'reports', 'junit.xml');
    const run = spawnSync(
      process.execPath,
      [
        CLI,
        'run',
        'test/lab/runner/fixtures/flaky-once.ts',
        'test/fixtures/scenarios/fails-with-code.ts',
        'scenarios/plain-tcp-echo.ts',
        'test/lab/runner/fixtures/quick-pass.ts',
        'test/lab/runner/fixtures/offload-only.ts',
        '--mode',
        'mbedtls',
        '--grep',
        '^(fixture-(flaky|fails)|plain)',
        '--retries',
        '1',
        '--no-pacing',
        '--json',
        '--junit',
        junit,
        '--out',
        dir,
      ],
      {
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, TLSSIM_TEST_FLAKY_MARKER: join(dir, 'flaky-marker') },
      },
    );
    expect(run.status, run.stderr).to.equal(1);
    const json = JSON.parse(run.stdout.trim().split('\n').at(-1) as string);
    expect(json).to.include({ passed: 1, flaky: 1, failed: 1, skipped: 2, shard: null });
    expect(
      json.skippedRuns.map((s: { scenario: string; reason: string }) => [s.scenario, s.reason]),
    ).to.deep.equal([
      ['fixture-quick-pass', 'does not match --grep /^(fixture-(flaky|fails)|plain)/'],
      ['fixture-offload-only', 'runs only in offload (its modes or mbed_app.json)'],
    ]);
    const byName = Object.fromEntries(json.results.map((r: { scenario: string }) => [r.scenario, r]));
    const flaky = byName['fixture-flaky-once'];
    expect(flaky).to.include({ status: 'passed', flaky: true });
    expect(flaky.attempts.map((a: { status: string }) => a.status)).to.deep.equal(['failed', 'passed']);
    expect(flaky.attempts[0].error).to.equal('first attempt fails on purpose');
    expect(flaky.attempts[0].where).to.match(/flaky-once\.ts:\d+/);
    expect(readFileSync(flaky.attempts[0].logs.mcu, 'utf8')).to.contain('first attempt fails on purpose');
    expect(flaky.attempts[1].dir).to.equal(flaky.logs.mcu.replace(/\/mcu\.log$/, ''));
    const failed = byName['fixture-fails-with-code'];
    expect(failed.status).to.equal('failed');
    expect(failed.flaky).to.equal(undefined);
    expect(failed.attempts).to.have.length(2);
    expect(byName['plain-tcp-echo']).to.not.have.any.keys('flaky', 'attempts');

    const xml = readFileSync(junit, 'utf8');
    expect(xml).to.contain('tests="5" failures="1" errors="0" skipped="2"');
    expect(xml.match(/<flakyFailure /g)).to.have.length(1);
    expect(xml.match(/<rerunFailure /g)).to.have.length(1);
    expect(xml).to.contain('<property name="flaky" value="true"/>');

    // index.html: every run, each run's own report generated, every link resolving inside the folder.
    const index = readFileSync(join(dir, 'index.html'), 'utf8');
    const statuses = [...index.matchAll(/data-run="([^"]+)" data-status="(\w+)"/g)].map(
      (m) => `${m[1]}: ${m[2]}`,
    );
    expect(statuses).to.deep.equal([
      'fixture-fails-with-code (mbedtls): failed',
      'fixture-flaky-once (mbedtls): flaky',
      'plain-tcp-echo (mbedtls): passed',
      'fixture-offload-only (mbedtls): skipped',
      'fixture-quick-pass (mbedtls): skipped',
    ]);
    const links = [...index.matchAll(/href="([^"]+)"/g)].map((m) => decodeURIComponent(m[1]));
    expect(links).to.include('plain-tcp-echo/mbedtls/report.html');
    expect(links).to.include('fixture-flaky-once/mbedtls.attempt-1/mcu.log');
    for (const link of links) expect(existsSync(join(dir, link)), link).to.equal(true);
    expect(readFileSync(join(dir, 'plain-tcp-echo/mbedtls/report.html'), 'utf8')).to.contain('What it cost');
  });
});
