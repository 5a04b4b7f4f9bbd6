// Real MCU and modem processes on simulated time: a seeded run replays byte for byte, times included,
// and a process the host starves for longer than the AT timeout does not fail the run.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { type RunScenarioOptions, runScenario } from '../../../lab/runner/run-scenario.ts';
import { loadScenario } from '../../../lab/runner/scenario-files.ts';
import { sharedKinds } from '../../../lab/runner/scenario-servers.ts';
import type { Mode } from '../../../lab/scenario/scenario-types.ts';
import { startLab } from '../../../lab/servers/lab.ts';
import { readTrace } from '../../../shared/trace/trace-reader.ts';

async function options(file: string, mode: Mode, extra: Partial<RunScenarioOptions> = {}) {
  const scenario = await loadScenario(resolve(file));
  const lab = await startLab({ kinds: sharedKinds(scenario) });
  const base: RunScenarioOptions = {
    file: resolve(file),
    scenario,
    mode,
    lab,
    outDir: mkdtempSync(join(tmpdir(), 'tlssim-sim-')),
    baud: 115200,
    pacing: true,
    seed: 5,
    ...extra,
  };
  return { base, lab };
}

describe('simulated time through real processes', function () {
  this.timeout(120_000);

  for (const mode of ['mbedtls', 'offload'] as const) {
    it(`two seeded runs of plain-tcp-echo (${mode}) write byte-identical traces, times included`, async () => {
      const { base, lab } = await options('scenarios/plain-tcp-echo.ts', mode);
      try {
        const first = await runScenario({ ...base, outDir: mkdtempSync(join(tmpdir(), 'tlssim-sim-a-')) });
        const second = await runScenario({ ...base, outDir: mkdtempSync(join(tmpdir(), 'tlssim-sim-b-')) });
        expect(first.status, first.error).to.equal('passed');
        expect(second.status, second.error).to.equal('passed');
        const a = readFileSync(first.trace);
        const b = readFileSync(second.trace);
        expect(a.length).to.be.greaterThan(10_000);
        expect(a.equals(b), 'uart.jsonl differs between the two runs').to.equal(true);
        expect(readTrace(first.trace).header.clock).to.equal('simulated');
        expect(first.clock).to.equal('simulated');
        expect(first.simulatedMs).to.equal(second.simulatedMs);
        // The simulated time covers at least the line time of the busier direction.
        const busier = Math.max(first.uartBytes.tx, first.uartBytes.rx);
        expect(first.simulatedMs).to.be.at.least((busier * 1000) / 11_520);
      } finally {
        await lab.close();
      }
    });
  }

  it('a modem process stopped (SIGSTOP) for longer than the 1 s AT timeout, three times, does not fail the run', async () => {
    const { base, lab } = await options('scenarios/connect-secure-server.ts', 'offload');
    let stops = 0;
    let finished = false;
    const timers: NodeJS.Timeout[] = [];
    try {
      const result = await runScenario(base, {
        acquired(step, handles) {
          if (step !== 'start the modem process' || !handles.pid) return;
          const pid = handles.pid;
          // Starve it from soon after it started, across power-up and the app.
          for (const at of [300, 1900, 3500]) {
            timers.push(
              setTimeout(() => {
                if (finished) return;
                try {
                  process.kill(pid, 'SIGSTOP');
                } catch {
                  return;
                }
                timers.push(
                  setTimeout(() => {
                    try {
                      process.kill(pid, 'SIGCONT');
                    } catch {
                      // already gone
                    }
                    if (!finished) stops++;
                  }, 1200),
                );
              }, at),
            );
          }
        },
      });
      finished = true;
      expect(result.status, `${result.step}: ${result.error}`).to.equal('passed');
      expect(stops, 'the modem was stopped while the run went on').to.be.at.least(1);
    } finally {
      finished = true;
      for (const timer of timers) clearTimeout(timer);
      await lab.close();
    }
  });

  it('--clock wall still runs on host time, and says so in the trace', async () => {
    const { base, lab } = await options('scenarios/connect-secure-server.ts', 'mbedtls', { clock: 'wall' });
    try {
      const result = await runScenario(base);
      expect(result.status, result.error).to.equal('passed');
      expect(result.clock).to.equal('wall');
      expect(result.simulatedMs).to.equal(undefined);
      expect(readTrace(result.trace).header.clock).to.equal('wall');
    } finally {
      await lab.close();
    }
  });
});
