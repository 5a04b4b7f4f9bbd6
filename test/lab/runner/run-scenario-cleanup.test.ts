// A run releases everything it acquired — processes, listening sockets, the trace file, timers — whether
// it passes, fails in any step of its setup, or a release itself fails.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import {
  type AcquiredHandles,
  LIFECYCLE_STEPS,
  type LifecycleHooks,
  type LifecycleStep,
} from '../../../lab/runner/lifecycle-hooks.ts';
import { runScenario, type ScenarioResult } from '../../../lab/runner/run-scenario.ts';
import { loadScenario } from '../../../lab/runner/scenario-files.ts';
import type { ScenarioDefinition } from '../../../lab/scenario/scenario-types.ts';
import { type Lab, startLab } from '../../../lab/servers/lab.ts';
import {
  activeResourceCounts,
  childPids,
  isAlive,
  openFilesUnder,
  openSocketCount,
  remainingAfter,
  resourcesAddedSince,
  tcpRefuses,
  udpPortFree,
  watchTimers,
} from './leak-check.ts';

const FIXTURE = resolve('test/lab/runner/fixtures/quick-pass.ts');

interface WatchedRun {
  result: ScenarioResult;
  outDir: string;
  acquired: Array<{ step: LifecycleStep; handles: AcquiredHandles }>;
  before: { resources: Record<string, number>; children: number[]; sockets: number };
  timers: ReturnType<typeof watchTimers>;
}

describe('runner: a run leaves nothing behind', function () {
  this.timeout(15_000);
  let lab: Lab;
  let scenario: ScenarioDefinition;

  before(async () => {
    lab = await startLab({ kinds: [] });
    scenario = await loadScenario(FIXTURE);
  });
  after(() => lab.close());

  async function watchedRun(hooks: LifecycleHooks): Promise<WatchedRun> {
    // Mocha restarts its timeout timer once the test has returned its promise, at the first await.
    await Promise.resolve();
    const outDir = mkdtempSync(join(tmpdir(), 'tlssim-cleanup-'));
    const acquired: WatchedRun['acquired'] = [];
    const before = { resources: activeResourceCounts(), children: childPids(), sockets: openSocketCount() };
    const timers = watchTimers();
    const result = await runScenario(
      { file: FIXTURE, scenario, mode: 'mbedtls', lab, outDir, baud: 921_600, pacing: false },
      { ...hooks, acquired: (step, handles) => acquired.push({ step, handles }) },
    );
    // The checks below make timers of their own.
    timers.endOfRun();
    return { result, outDir, acquired, before, timers };
  }

  async function expectNothingLeft({ outDir, acquired, before, timers }: WatchedRun): Promise<void> {
    const pendingTimers = await remainingAfter(() => timers.pending());
    timers.stop();
    expect(pendingTimers, 'timers of the run still pending').to.deep.equal([]);
    for (const { step, handles } of acquired) {
      if (handles.pid !== undefined)
        expect(isAlive(handles.pid), `${step}: process ${handles.pid} still alive`).to.equal(false);
      for (const port of handles.tcpPorts ?? [])
        expect(await tcpRefuses(port), `${step}: TCP port ${port} still accepts`).to.equal(true);
      for (const port of handles.udpPorts ?? [])
        expect(await udpPortFree(port), `${step}: UDP port ${port} still bound`).to.equal(true);
    }
    expect(
      childPids().filter((pid) => !before.children.includes(pid)),
      'child processes',
    ).to.deep.equal([]);
    expect(await remainingAfter(() => openFilesUnder(outDir)), 'files open in the run folder').to.deep.equal(
      [],
    );
    expect(openSocketCount(), 'sockets held').to.be.at.most(before.sockets);
    expect(
      await remainingAfter(() => resourcesAddedSince(before.resources)),
      'active handles and requests',
    ).to.deep.equal({});
  }

  it('passes, and afterwards no process, port, file or timer of the run is left', async () => {
    const run = await watchedRun({});
    const { result } = run;
    expect(result.status, `${result.step}: ${result.error}`).to.equal('passed');
    expect(result.metrics).to.deep.equal({ answer: 42 });
    expect(result.uartBytes.tx).to.be.greaterThan(0);
    expect(result.trace).to.equal(join(result.dir, 'uart.jsonl'));
    // written while releasing the run's DTLS server and its fault proxy
    expect(existsSync(join(result.dir, 'faults.json'))).to.equal(true);
    expect(run.acquired.map((a) => a.step)).to.deep.equal([
      'open the UART trace',
      "start the run's DTLS servers",
      'listen for the UART ends',
      'start the modem process',
      'start the MCU process',
    ]);
    await expectNothingLeft(run);
  });

  for (const [index, step] of LIFECYCLE_STEPS.entries()) {
    it(`fails in "${step}", names that step, and releases what the steps before it acquired`, async () => {
      const run = await watchedRun({ failAt: step });
      expect(run.result).to.include({ status: 'failed', step });
      expect(run.result.error).to.match(/injected failure/);
      const earlier: readonly string[] = LIFECYCLE_STEPS.slice(0, index);
      for (const { step: acquiredIn } of run.acquired) expect(earlier).to.include(acquiredIn);
      await expectNothingLeft(run);
    });
  }

  it('fails a run that passed when a release fails, keeping its metrics, and still releases the rest', async () => {
    const run = await watchedRun({ failReleaseOf: "start the run's DTLS servers" });
    expect(run.result).to.include({ status: 'failed', step: 'release the run' });
    expect(run.result.error).to.equal(
      `could not close the run's DTLS servers: injected failure after "close the run's DTLS servers"`,
    );
    expect(run.result.metrics).to.deep.equal({ answer: 42 });
    await expectNothingLeft(run);
  });

  for (const step of ['start the MCU process', 'listen for the UART ends'] as const) {
    it(`goes on releasing when releasing what "${step}" acquired fails, and says so`, async () => {
      const run = await watchedRun({ failAt: 'wait for the outcome', failReleaseOf: step });
      expect(run.result).to.include({ status: 'failed', step: 'wait for the outcome' });
      expect(run.result.error).to.match(
        /\(and could not stop the MCU process|\(and could not close the wire/,
      );
      await expectNothingLeft(run);
    });
  }
});
