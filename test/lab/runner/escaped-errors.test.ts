// An error that escapes the app (a throw in a timer, a rejection nobody awaits) fails the run with that
// error, the scenario's line and the app's step, not as "start the MCU and modem processes".
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { runMany } from '../../../lab/runner/run-many.ts';
import { loadScenario } from '../../../lab/runner/scenario-files.ts';

async function runFixture(name: string) {
  const file = resolve(`test/lab/runner/fixtures/${name}.ts`);
  const outDir = mkdtempSync(join(tmpdir(), `tlssim-${name}-`));
  const [result] = await runMany([{ file, scenario: await loadScenario(file), mode: 'mbedtls' }], {
    outDir,
    baud: 921_600,
    pacing: false,
  });
  return result;
}

describe('errors that escape the app', function () {
  this.timeout(60_000);

  it('a throw in a timer names the error, its line and the step', async () => {
    const result = await runFixture('timer-throw');
    expect(result.status).to.equal('failed');
    expect(result.step).to.equal('arm the watchdog');
    expect(result.error).to.equal('watchdog fired: no reply from the sensor');
    expect(result.where).to.match(/^test\/lab\/runner\/fixtures\/timer-throw\.ts:11:\d+$/);
  });

  it('an unhandled rejection names the error, its line and the step', async () => {
    const result = await runFixture('unhandled-rejection');
    expect(result.status).to.equal('failed');
    expect(result.step).to.equal('publish in the background');
    expect(result.error).to.equal('publish queue overflow');
    expect(result.where).to.match(/^test\/lab\/runner\/fixtures\/unhandled-rejection\.ts:6:\d+$/);
  });
});
