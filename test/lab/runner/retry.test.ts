// --retries: a failed run runs again until it passes or the retries run out; a pass after a failure is
// flaky and keeps every attempt, each failed attempt's folder moved aside so the next one cannot
// overwrite its logs.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { runWithRetries } from '../../../lab/runner/retry.ts';
import type { ScenarioResult } from '../../../lab/runner/run-scenario.ts';
import { fakeResult } from '../report/helpers/run-results.ts';

/** A run that writes its attempt number into its folder and has the given outcomes, in turn. */
function scripted(outDir: string, outcomes: Array<'passed' | 'failed'>) {
  let calls = 0;
  const once = async (): Promise<ScenarioResult> => {
    const status = outcomes[calls++];
    const result = fakeResult(outDir, 'scripted', status);
    mkdirSync(result.dir, { recursive: true });
    writeFileSync(result.logs.mcu, `attempt ${calls}\n`);
    return result;
  };
  return { once, calls: () => calls };
}

describe('retry (tlssim run --retries)', () => {
  let outDir: string;
  beforeEach(() => {
    outDir = mkdtempSync(join(tmpdir(), 'tlssim-retry-'));
  });

  it('a pass at once is one attempt, reported as it was', async () => {
    const run = scripted(outDir, ['passed']);
    const result = await runWithRetries(run.once, 3);
    expect(run.calls()).to.equal(1);
    expect(result).to.not.have.any.keys('attempts', 'flaky');
  });

  it('no retries: a failure is final', async () => {
    const run = scripted(outDir, ['failed', 'passed']);
    const result = await runWithRetries(run.once, 0);
    expect(run.calls()).to.equal(1);
    expect(result.status).to.equal('failed');
    expect(result).to.not.have.any.keys('attempts', 'flaky');
  });

  it('a pass after failures is flaky, with every attempt and the failed ones kept aside', async () => {
    const run = scripted(outDir, ['failed', 'failed', 'passed']);
    const result = await runWithRetries(run.once, 3);
    expect(run.calls()).to.equal(3);
    expect(result.status).to.equal('passed');
    expect(result.flaky).to.equal(true);
    expect(result.attempts?.map((a) => [a.attempt, a.status])).to.deep.equal([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'passed'],
    ]);
    const [first, second, last] = result.attempts ?? [];
    expect(first.dir).to.equal(`${result.dir}.attempt-1`);
    expect(second.dir).to.equal(`${result.dir}.attempt-2`);
    expect(last.dir).to.equal(result.dir);
    expect(first.error).to.match(/NSAPI_ERROR_NO_CONNECTION/);
    expect(readFileSync(first.logs.mcu, 'utf8')).to.equal('attempt 1\n');
    expect(readFileSync(second.logs.mcu, 'utf8')).to.equal('attempt 2\n');
    expect(readFileSync(result.logs.mcu, 'utf8')).to.equal('attempt 3\n');
  });

  it('failing every attempt stays failed, not flaky, with N + 1 attempts', async () => {
    const run = scripted(outDir, ['failed', 'failed', 'failed']);
    const result = await runWithRetries(run.once, 2);
    expect(run.calls()).to.equal(3);
    expect(result.status).to.equal('failed');
    expect(result.flaky).to.equal(undefined);
    expect(result.attempts).to.have.length(3);
    expect(existsSync(`${result.dir}.attempt-2`)).to.equal(true);
  });

  it('replaces an attempt folder left by an earlier invocation', async () => {
    const stale = join(outDir, 'scripted', 'mbedtls.attempt-1');
    mkdirSync(stale, { recursive: true });
    writeFileSync(join(stale, 'stale.txt'), 'old');
    const result = await runWithRetries(scripted(outDir, ['failed', 'passed']).once, 1);
    expect(result.flaky).to.equal(true);
    expect(existsSync(join(stale, 'stale.txt'))).to.equal(false);
    expect(readFileSync(join(stale, 'mcu.log'), 'utf8')).to.equal('attempt 1\n');
  });
});
