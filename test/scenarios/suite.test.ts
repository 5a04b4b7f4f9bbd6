// The scenario suite (scenarios/) as CI runs it: every scenario in each of its modes, each run a real
// MCU process and a real modem process on a paced UART, checked by the runner (including `uart`
// expectations on the trace).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { readAirConnections } from '../../lab/runner/run-costs.ts';
import { type Job, runMany } from '../../lab/runner/run-many.ts';
import type { ScenarioResult } from '../../lab/runner/run-scenario.ts';
import { defaultModes, findScenarioFiles, loadScenarios } from '../../lab/runner/scenario-files.ts';

/** Fast but still paced: 921600 baud 8N1 is 92 160 B/s on the wire. */
const SUITE_BAUD = 921_600;

// A scenario that does not load (a syntax error, a throw at top level, a misspelt key) is one failing
// test naming the file and the cause; the others still run.
const { loaded, broken } = await loadScenarios(findScenarioFiles(['scenarios']));
const jobs: Job[] = [];
for (const { file, scenario } of loaded) {
  for (const mode of defaultModes(file, scenario)) jobs.push({ file, scenario, mode });
}

describe('scenario files load', () => {
  for (const { file, message } of broken) {
    it(`loads ${relative(process.cwd(), file)}`, () => {
      throw new Error(message);
    });
  }
});

describe('scenario suite (real MCU and modem processes)', function () {
  this.timeout(600_000);
  let results: ScenarioResult[] = [];

  before(async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'tlssim-suite-'));
    results = await runMany(jobs, { outDir, baud: SUITE_BAUD, pacing: true, parallel: 2 });
  });

  for (const [index, job] of jobs.entries()) {
    it(`${job.scenario.name} (${job.mode})`, () => {
      const result = results[index];
      expect(result, 'the run produced a result').to.not.equal(undefined);
      expect(result.status, `step "${result.step}": ${result.error}\n  trace: ${result.trace}`).to.equal(
        'passed',
      );
    });
  }

  // What each run cost (docs/costs.md), checked on the runs above.
  describe('costs', () => {
    const result = (name: string, mode: string) => {
      const found = results.find((r) => r.scenario === name && r.mode === mode);
      if (!found) throw new Error(`no run of ${name} (${mode})`);
      expect(found.status, `${found.step}: ${found.error}`).to.equal('passed');
      return found;
    };

    it('mbedtls mode: Mbed TLS heap on the MCU, TLS records over the air, a full handshake counted', () => {
      const { costs } = result('connect-secure-server', 'mbedtls');
      expect(costs.mcuTlsHeapPeakBytes).to.be.greaterThan(32 * 1024); // at least the in and out record buffers
      expect(costs.mcuTlsCredentialBytes).to.equal(0);
      expect(costs.handshakes).to.deep.equal({ full: 1, resumed: 0 });
      expect(costs.airBytes.handshake.down).to.be.greaterThan(1000); // the server's certificate chain
      expect(costs.uartBytes.rx).to.be.greaterThan(costs.airBytes.handshake.down);
    });

    it('offload mode: no Mbed TLS heap on the MCU, the credentials it handed over instead; the modem’s handshake counted', () => {
      const { costs } = result('mutual-tls', 'offload');
      expect(costs.mcuTlsHeapPeakBytes).to.equal(0);
      expect(costs.mcuTlsCredentialBytes).to.be.greaterThan(2000); // CA, client certificate and key
      expect(costs.handshakes).to.deep.equal({ full: 1, resumed: 0 });
      expect(costs.airBytes.connections).to.equal(1);
    });

    it('cellular-link: the modem shaped its connections with the scenario’s link', () => {
      for (const mode of ['mbedtls', 'offload']) {
        const run = result('cellular-link', mode);
        expect(run.link).to.include({ name: 'custom', delayMs: 100, jitterMs: 30, upBps: 70_000 });
        expect(readFileSync(join(run.dir, 'modem.log'), 'utf8')).to.contain(
          'link: custom: 100 ms ± 30 ms each way, up 70000 bit/s, down 32000 bit/s',
        );
      }
    });

    it('plain TCP: air bytes without TLS, no handshakes', () => {
      for (const mode of ['mbedtls', 'offload']) {
        const { costs } = result('plain-tcp-echo', mode);
        expect(costs.handshakes).to.deep.equal({ full: 0, resumed: 0 });
        expect(costs.airBytes.handshake).to.deep.equal({ up: 0, down: 0 });
        expect(costs.airBytes.application.up).to.be.greaterThan(0);
      }
    });

    for (const mode of ['mbedtls', 'offload']) {
      it(`session-resumption (${mode}): the second connection resumes, for less than half the air bytes`, () => {
        const run = result('session-resumption', mode);
        expect(run.costs.handshakes).to.deep.equal({ full: 1, resumed: 1 });
        const [first, second] = readAirConnections(join(run.dir, 'air.jsonl'));
        const total = (c: typeof first) =>
          c.up.payloadBytes + c.up.headerBytes + c.down.payloadBytes + c.down.headerBytes;
        expect(total(second)).to.be.lessThan(total(first) / 2);
      });
    }
  });
});
