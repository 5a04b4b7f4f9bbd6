// One run's lifecycle: each step acquires one thing and registers its release on the run's resource
// stack, so whatever step fails (or however the run ends) everything acquired so far is released, in
// reverse order, by whoever disposes the stack (runScenario).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LinkProfile } from '../../modem/link/link-profile.ts';
import { type Clock, realClock } from '../../shared/clock.ts';
import { log } from '../../shared/log.ts';
import { TraceWriter } from '../../shared/trace/trace-writer.ts';
import type { UartFaultSpec } from '../faults/uart-fault-spec.ts';
import { labSocketLedger } from '../servers/lab-socket-ledger.ts';
import { TimeCoordinator } from '../sim/time-coordinator.ts';
import { captureEnvironment, clearRunCapture } from '../trace/pcap/run-capture-files.ts';
import { listenTcpWire, type TcpWire } from '../wire/tcp-wire.ts';
import { firstOutcome } from './first-outcome.ts';
import {
  type AcquiredHandles,
  type LifecycleHooks,
  type LifecycleStep,
  StepFailure,
} from './lifecycle-hooks.ts';
import { relayNetworkEvents } from './network-event-relay.ts';
import { SAMPLE_STEP_PREFIX, sampleMetrics } from './process-sample.ts';
import type { ResourceStack } from './resource-stack.ts';
import {
  failedOutcome,
  mcuResult,
  processExit,
  type RunOutcome,
  scenarioTimeout,
  wallWatchdog,
} from './run-outcome.ts';
import type { RunPhases } from './run-phases.ts';
import type { RunScenarioOptions } from './run-scenario.ts';
import { type ScenarioServers, startScenarioServers } from './scenario-servers.ts';
import { type SpawnedProcess, spawnTlssim } from './spawn-tlssim.ts';

const DEFAULT_SCENARIO_TIMEOUT_MS = 60_000;
/** Host time a simulated run may stand still before it is given up (run-outcome.ts, wallWatchdog). */
const SIMULATED_STILL_MS = 120_000;

const runnerLog = log.child('runner');

export interface RunContext {
  readonly options: RunScenarioOptions;
  /** e.g. "plain-tcp-echo (mbedtls)", for log lines */
  readonly label: string;
  /** DIR/<scenario>/<mode>/: the trace, the process logs, faults.json */
  readonly dir: string;
  readonly tracePath: string;
  /** where the modem writes each connection's bytes over the air (air.jsonl) */
  readonly airPath: string;
  readonly resources: ResourceStack;
  readonly hooks: LifecycleHooks;
  /** How far the run got, for the result: whether the trace exists, the wire once listening. */
  traceOpened: boolean;
  wire: TcpWire | null;
  /** the UART faults the wire injects (the CLI's over the scenario's, --seed in force), if any */
  readonly uartFaults: UartFaultSpec | undefined;
  /** the cellular link the modem shapes its connections with (the CLI's over the scenario's) */
  readonly link: LinkProfile;
  /** process samples the app asked for with a "sample: <label>" step */
  readonly sampled: Record<string, number>;
  /** simulated time when the outcome came (null on the wall clock, or before an outcome) */
  simulatedMs: number | null;
  /** where the run's host time went (run-phases.ts) */
  readonly phases: RunPhases;
  /** the run's simulated time (docs/simulated-time.md); null on the wall clock */
  coordinator: TimeCoordinator | null;
}

/** The clock the runner's parts of the run (wire, proxies, DTLS servers, timeout) use. */
export function runClock(run: RunContext): Clock {
  return run.coordinator?.clock ?? realClock;
}

/** A coordinator for a simulated run, reading the run's wire and the lab's ends of its connections. */
export function newCoordinator(run: { wire: TcpWire | null }): TimeCoordinator {
  return new TimeCoordinator({
    wire: () => {
      const { wire } = run;
      if (!wire) return { fromMcu: 0, toMcu: 0, fromModem: 0, toModem: 0 };
      const read = wire.read;
      const delivered = wire.counters;
      return { fromMcu: read.tx, toMcu: delivered.rx, fromModem: read.rx, toModem: delivered.tx };
    },
    server: (key) => labSocketLedger.get(key),
    forget: (key) => labSocketLedger.forget(key),
  });
}

/** Sets up and runs the scenario; every failure becomes a failed outcome naming its step. */
export async function runLifecycle(run: RunContext): Promise<RunOutcome> {
  try {
    run.phases.begin('setup');
    await inStep(run, 'create the run folder', () => createRunFolder(run));
    const trace = await inStep(run, 'open the UART trace', () => openTrace(run));
    const servers = await inStep(run, "start the run's DTLS servers", () => startOwnServers(run));
    const wire = await inStep(run, 'listen for the UART ends', () => listenForUartEnds(run, trace));
    run.phases.begin('spawn');
    const modem = await inStep(run, 'start the modem process', () => startModem(run, wire));
    const mcu = await inStep(run, 'start the MCU process', () => startMcu(run, wire, servers, modem));
    const outcome = await inStep(run, 'wait for the outcome', () => waitForOutcome(run, mcu, modem));
    run.simulatedMs = run.coordinator ? Math.round(run.coordinator.now) : null;
    return outcome;
  } catch (error) {
    if (error instanceof StepFailure) return failedOutcome(error.step, error.message);
    throw error;
  }
}

/** Runs one step: a failure a test injected first, and any error tagged with the step's name. */
async function inStep<T>(run: RunContext, step: LifecycleStep, body: () => T | Promise<T>): Promise<T> {
  runnerLog.debug(`${run.label}: ${step}`);
  try {
    if (run.hooks.failAt === step) throw new Error(`injected failure at "${step}"`);
    return await body();
  } catch (error) {
    throw new StepFailure(step, error);
  }
}

/**
 * Puts what `step` acquired on the run's stack, and tells a watching test which handles it holds (the
 * release is made to throw, after releasing, when the test asks).
 */
function hold<T>(
  run: RunContext,
  step: LifecycleStep,
  resource: T,
  handles: AcquiredHandles,
  label: string,
  release: (resource: T) => void | Promise<void>,
): T {
  run.hooks.acquired?.(step, handles);
  return run.resources.use(label, resource, async (held) => {
    runnerLog.debug(`${run.label}: ${label}`);
    await release(held);
    if (run.hooks.failReleaseOf === step) throw new Error(`injected failure after "${label}"`);
  });
}

function createRunFolder(run: RunContext): void {
  mkdirSync(run.dir, { recursive: true });
  clearRunCapture(run.dir);
}

function openTrace(run: RunContext): TraceWriter {
  const { options } = run;
  const trace = new TraceWriter(
    run.tracePath,
    {
      baud: options.baud,
      frame: options.frame ?? '8N1',
      mode: options.mode,
      scenario: options.scenario.name,
      clock: run.coordinator ? 'simulated' : 'wall',
      ...(run.uartFaults ? { uartFaults: run.uartFaults } : {}),
    },
    runClock(run),
  );
  run.traceOpened = true;
  return hold(run, 'open the UART trace', trace, { file: run.tracePath }, 'close the UART trace', (t) =>
    t.close(),
  );
}

async function startOwnServers(run: RunContext): Promise<ScenarioServers> {
  const { scenario, lab, seed } = run.options;
  const servers = await startScenarioServers(scenario, lab, seed, runClock(run));
  const udpPorts = Object.values(servers.endpoints).map((endpoint) => endpoint.port);
  hold(run, "start the run's DTLS servers", servers, { udpPorts }, "close the run's DTLS servers", (s) =>
    s.close(),
  );
  // Released before the servers close, on every path: what they counted until the run ended.
  run.resources.defer('write faults.json', () => servers.report(run.dir));
  return servers;
}

async function listenForUartEnds(run: RunContext, trace: TraceWriter): Promise<TcpWire> {
  const { baud, frame, pacing } = run.options;
  const coordinator = run.coordinator;
  const wire = await listenTcpWire({
    baud,
    frame,
    pacing,
    trace,
    faults: run.uartFaults,
    clock: runClock(run),
    onJoined: () => run.phases.begin('powerUp'),
    ...(coordinator ? { onRead: coordinator.poke } : {}),
  });
  run.wire = wire;
  const tcpPorts = [wire.mcuPort, wire.modemPort];
  return hold(run, 'listen for the UART ends', wire, { tcpPorts }, 'close the wire', (w) => w.close());
}

function clockArgs(run: RunContext): string[] {
  return ['--clock', run.coordinator ? 'simulated' : 'wall'];
}

function startModem(run: RunContext, wire: TcpWire): SpawnedProcess {
  const modem = spawnTlssim(
    [
      'modem',
      '--uart',
      `tcp://127.0.0.1:${wire.modemPort}`,
      '--hosts',
      JSON.stringify(run.options.lab.hosts),
      '--air',
      run.airPath,
      '--link',
      JSON.stringify(run.link),
      '--link-seed',
      String(run.options.seed ?? 1),
      ...clockArgs(run),
    ],
    // The IPC channel carries the app's scripted network events (lab/runner/network-event-relay.ts).
    { logFile: join(run.dir, 'modem.log'), ipc: true, env: captureEnvironment(run.dir) },
  );
  run.coordinator?.attach('modem', modem.child);
  const handles = { pid: modem.child.pid };
  return hold(run, 'start the modem process', modem, handles, 'stop the modem process', (m) => m.stop());
}

function startMcu(
  run: RunContext,
  wire: TcpWire,
  servers: ScenarioServers,
  modem: SpawnedProcess,
): SpawnedProcess {
  const { file, mode, baud, lab, seed } = run.options;
  const mcu = spawnTlssim(
    [
      'mcu',
      '--uart',
      `tcp://127.0.0.1:${wire.mcuPort}`,
      '--scenario',
      file,
      '--mode',
      mode,
      '--baud',
      String(baud),
      ...clockArgs(run),
    ],
    {
      logFile: join(run.dir, 'mcu.log'),
      ipc: true,
      env: {
        TLSSIM_LAB: JSON.stringify({
          servers: { ...lab.servers, ...servers.endpoints },
          pkiDir: lab.pki.dir,
        }),
        TLSSIM_SEED: seed === undefined ? '' : String(seed),
        ...captureEnvironment(run.dir),
      },
    },
  );
  run.coordinator?.attach('mcu', mcu.child);
  const handles = { pid: mcu.child.pid };
  hold(run, 'start the MCU process', mcu, handles, 'stop the MCU process', (m) => m.stop());
  // Released before the MCU stops, on every path.
  run.resources.defer('stop relaying network events', relayNetworkEvents(mcu.child, modem.child));
  return mcu;
}

/** The first of: the MCU's result, either process exiting, the scenario's timeout. */
function waitForOutcome(run: RunContext, mcu: SpawnedProcess, modem: SpawnedProcess): Promise<RunOutcome> {
  const progress = { step: 'start the MCU and modem processes' };
  const timeoutMs = run.options.scenario.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS;
  return firstOutcome([
    mcuResult(mcu.child, progress, (name) => {
      // "sample: <label>": what both processes hold now, as metrics (lab/runner/process-sample.ts)
      run.phases.begin('app');
      if (!name.startsWith(SAMPLE_STEP_PREFIX)) return;
      const label = name.slice(SAMPLE_STEP_PREFIX.length).trim() || 'sample';
      Object.assign(run.sampled, sampleMetrics(label, { mcu: mcu.child.pid, modem: modem.child.pid }));
    }),
    processExit(mcu, (code) => `the MCU process exited (${code}) without reporting a result`, progress),
    processExit(
      modem,
      (code) => `the modem process exited (${code}) while the scenario ran; see modem.log`,
      progress,
    ),
    ...(run.coordinator
      ? [
          scenarioTimeout(timeoutMs, progress, run.coordinator.clock),
          wallWatchdog(SIMULATED_STILL_MS, progress, run.coordinator),
        ]
      : [scenarioTimeout(timeoutMs, progress)]),
  ]);
}
