// Each run's report.html beside its trace: written for a run with a trace, skipped (without failing
// the suite) for a trace that does not parse and for one too long to be worth a report in every CI
// artifact.
import { copyFileSync, existsSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { MAX_REPORTED_TRACE_BYTES, writeRunReports } from '../../../lab/report/run-report-files.ts';
import { TraceScript } from '../trace/helpers/trace-script.ts';
import { fakeResult } from './helpers/run-results.ts';

describe('per-run HTML reports (tlssim run)', () => {
  it('writes report.html for a good trace, none for a malformed or a very long one', async () => {
    const script = new TraceScript({ mode: 'mbedtls', scenario: 'steady' })
      .boot()
      .qiopen(0, 'TCP', 'echo.tlssim.test', 7);
    await script.done();
    const outDir = join(script.file, '..', 'out');
    mkdirSync(outDir);
    const good = fakeResult(outDir, 'steady', 'passed');
    copyFileSync(script.file, good.trace);
    const torn = fakeResult(outDir, 'torn', 'failed');
    writeFileSync(torn.trace, '{"format":"tlssim-uart-trace"\n');
    const long = fakeResult(outDir, 'long', 'passed');
    copyFileSync(script.file, long.trace);
    truncateSync(long.trace, MAX_REPORTED_TRACE_BYTES + 1);
    const noTrace = { ...fakeResult(outDir, 'early', 'failed'), trace: '' };

    const written = writeRunReports([good, torn, long, noTrace]);
    expect([...written.keys()]).to.deep.equal([good]);
    const report = readFileSync(join(good.dir, 'report.html'), 'utf8');
    expect(report).to.contain('<title>tlssim run: steady (mbedtls)</title>');
    expect(report).to.contain('What it cost');
    for (const r of [torn, long, noTrace])
      expect(existsSync(join(r.dir, 'report.html')), r.scenario).to.equal(false);
  });
});
