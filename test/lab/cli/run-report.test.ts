// What `tlssim run` prints for retried runs: FLAKY (never PASS) with the failed attempt's step, error
// and folder; a failure with its attempt count and earlier attempts; a summary that counts flaky runs
// apart from passed ones, and names the shard.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { jsonReport, progressLine, summaryLine } from '../../../lab/cli/run-report.ts';
import { failedAttempt, fakeResult, lastAttempt } from '../report/helpers/run-results.ts';

describe('run report lines for retried runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tlssim-run-report-'));
  const passed = fakeResult(dir, 'steady', 'passed');
  const flaky = fakeResult(dir, 'wobbly', 'passed');
  flaky.attempts = [failedAttempt(flaky, 1), lastAttempt(flaky, 2)];
  flaky.flaky = true;
  const failed = fakeResult(dir, 'broken', 'failed');
  failed.attempts = [failedAttempt(failed, 1), lastAttempt(failed, 2)];

  it('FLAKY, with the failed attempt', () => {
    const [head, attempt] = progressLine(flaky, 2, 3).split('\n');
    expect(head).to.equal('[2/3] FLAKY wobbly (mbedtls) 2.3 s, passed on attempt 2 of 2');
    expect(attempt.trim()).to.equal(
      `attempt 1 failed: handshake: timed out <after> 4 s (${flaky.dir}.attempt-1)`,
    );
    expect(progressLine(passed, 1, 3)).to.equal('[1/3] PASS steady (mbedtls) 2.3 s');
  });

  it('FAIL after every attempt, with the earlier ones after the failure', () => {
    const lines = progressLine(failed, 3, 3)
      .split('\n')
      .map((l) => l.trim());
    expect(lines[0]).to.equal('[3/3] FAIL broken (mbedtls) 2.3 s, failed 2 attempts');
    expect(lines[1]).to.equal('step: connect');
    expect(lines.at(-1)).to.match(/^attempt 1 failed: handshake: .*broken\/mbedtls\.attempt-1\)$/);
  });

  it('the summary and --json count flaky runs apart from passed ones', () => {
    expect(summaryLine([passed, flaky, failed], [], '/o', { index: 3, total: 4 })).to.equal(
      '\n1 passed, 1 flaky, 1 failed, 0 skipped in shard 3/4  (traces and logs in /o, index: /o/index.html)',
    );
    expect(summaryLine([passed], [], '/o')).to.match(/^\n1 passed, 0 failed, 0 skipped {2}\(/);
    const json = JSON.parse(jsonReport([passed, flaky, failed], [], 7, { index: 1, total: 2 }));
    expect(json).to.include({ passed: 1, flaky: 1, failed: 1, skipped: 0, seed: 7, shard: '1/2' });
    expect(json.results[1]).to.include({ flaky: true });
    expect(json.results[1].attempts).to.have.length(2);
  });
});
