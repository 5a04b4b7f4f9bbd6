// Runs one scenario in one mode through real processes: a modem process and an MCU process, each
// dialling into the lab's wire over a tcp:// UART, with every UART byte traced. The lifecycle
// (run-lifecycle.ts) acquires; this file releases on every path, then checks the trace and reports.
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LINK_PROFILES, type LinkProfile, resolveLinkProfile } from '../../modem/link/link-profile.ts';
import { log } from '../../shared/log.ts';
import { emptyUartFaultStats } from '../faults/uart-fault-line.ts';
import type { UartFaultSpec } from '../faults/uart-fault-spec.ts';
import type { Mode, ScenarioDefinition } from '../scenario/scenario-types.ts';
import type { Lab } from '../servers/lab.ts';
import { runPcapOrWarn } from '../trace/pcap/run-pcap.ts';
import { failureDetails } from './failure-details.ts';
import { checkFaultsFired } from './fault-checks.ts';
import type { LifecycleHooks } from './lifecycle-hooks.ts';
import { type ReleaseFailure, ResourceStack } from './resource-stack.ts';
import { type RunCosts, readAirConnections, runCosts } from './run-costs.ts';
import { newCoordinator, type RunContext, runLifecycle } from './run-lifecycle.ts';
import { failedOutcome, type RunOutcome } from './run-outcome.ts';
import { RunPhases, type RunPhaseTimes } from './run-phases.ts';
import { type RunUartFaults, runUartFaults, uartFaultSpecOf } from './run-uart-faults.ts';
import { checkUartTrace } from './uart-checks.ts';

const runnerLog = log.child('runner');

export interface RunScenarioOptions {
  file: string;
  scenario: ScenarioDefinition;
  mode: Mode;
  lab: Lab;
  outDir: string;
  baud: number;
  frame?: string;
  /** false = bytes cross the wire unpaced (fast CI) */
  pacing: boolean;
  seed?: number;
  /** UART faults instead of the scenario's uartFaults (checked); --seed still overrides its seed */
  uartFaults?: UartFaultSpec;
  /** the cellular link instead of the scenario's `link` (checked) */
  link?: LinkProfile;
  /** write network.pcapng (network and UART) after the run (tlssim run --pcap) */
  pcap?: boolean;
  /** simulated (the default): the run's parts share one simulated clock (docs/simulated-time.md) */
  clock?: 'simulated' | 'wall';
}

export interface ScenarioResult {
  scenario: string;
  /** the scenario file */
  file: string;
  mode: Mode;
  status: 'passed' | 'failed';
  /** host time the run took */
  durationMs: number;
  /** the clock the run ran on, and how much simulated time it covered */
  clock: 'simulated' | 'wall';
  /** simulated milliseconds the run covered (absent on the wall clock) */
  simulatedMs?: number;
  /** host milliseconds per phase: setup, spawn, powerUp, app, teardown (run-phases.ts) */
  phases?: RunPhaseTimes;
  /** path of uart.jsonl ('' when the run failed before opening it) */
  trace: string;
  dir: string;
  error?: string;
  step?: string;
  /** a failure's scenario file:line (from the error's stack in the MCU process) */
  where?: string;
  /** what the run's files say about a failure: the Mbed TLS error, the modem's error decoded, an AT timeout */
  causes?: string[];
  /** a failure's last lines of mcu.log (JUnit system-out) */
  mcuLogTail?: string[];
  /** the run never started (its scenario did not load, the runner could not start it): JUnit <error> */
  notStarted?: true;
  /** the run's files ('' for one the run never got to write) */
  logs: RunLogs;
  uartBytes: { tx: number; rx: number };
  /** measurements the app recorded with ctx.metric() */
  metrics: Record<string, number>;
  /** what the run cost: MCU TLS heap, bytes over the air, UART bytes, handshakes (docs/costs.md) */
  costs: RunCosts;
  /** the UART faults in force and what the wire injected; absent when the run had none */
  uartFaults?: RunUartFaults;
  /** the cellular link the modem's connections crossed (docs/reliability.md) */
  link: LinkProfile;
  /** network.pcapng, when asked for and written */
  pcap?: string;
}

export interface RunLogs {
  mcu: string;
  modem: string;
  trace: string;
}

/** A result for a run that never started (a scenario that does not load, a lab that cannot start it). */
export function failedResult(
  job: { file: string; scenario?: { name: string }; mode: Mode },
  step: string,
  error: string,
): ScenarioResult {
  return {
    scenario: job.scenario?.name ?? basename(job.file, '.ts'),
    file: job.file,
    mode: job.mode,
    status: 'failed',
    durationMs: 0,
    clock: 'wall',
    trace: '',
    dir: '',
    step,
    error,
    notStarted: true,
    logs: { mcu: '', modem: '', trace: '' },
    uartBytes: { tx: 0, rx: 0 },
    metrics: {},
    costs: runCosts(undefined, [], { tx: 0, rx: 0 }),
    link: { ...LINK_PROFILES.ideal },
  };
}

export function scenarioSlug(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-');
}

/**
 * Runs the scenario and releases everything it acquired, whichever way it ended. A failure in any
 * step, in a release, or in the UART checks is a failed result naming its step; `hooks` is a test seam.
 */
export async function runScenario(
  options: RunScenarioOptions,
  hooks: LifecycleHooks = {},
): Promise<ScenarioResult> {
  const started = performance.now();
  const run = newRunContext(options, hooks);
  let outcome: RunOutcome;
  let releaseFailures: ReleaseFailure[];
  try {
    outcome = await runLifecycle(run);
  } finally {
    run.phases.begin('teardown');
    releaseFailures = await run.resources.disposeAsync();
  }
  const mcuCosts = outcome.mcuCosts;
  const pcap = options.pcap && run.traceOpened ? runPcapOrWarn(run.dir) : undefined;
  outcome = withReleaseFailures(run, outcome, releaseFailures);
  // The trace is complete only once the wire and the trace writer are closed.
  if (outcome.status === 'passed') outcome = checkUartTrace(run.tracePath, options, outcome.metrics);
  if (outcome.status === 'passed')
    outcome = checkFaultsFired(join(run.dir, 'faults.json'), options.scenario.faults, outcome.metrics);
  run.phases.end();
  const logs = runLogs(run);
  const details =
    outcome.status === 'failed' ? failureDetails({ mcuLog: logs.mcu, tracePath: logs.trace }) : undefined;
  return {
    scenario: options.scenario.name,
    file: options.file,
    mode: options.mode,
    status: outcome.status,
    durationMs: Math.round(performance.now() - started),
    clock: run.coordinator ? 'simulated' : 'wall',
    ...(run.simulatedMs !== null ? { simulatedMs: run.simulatedMs } : {}),
    phases: run.phases.times(),
    trace: run.traceOpened ? run.tracePath : '',
    dir: run.dir,
    error: outcome.status === 'failed' ? outcome.error : undefined,
    step: outcome.status === 'failed' ? outcome.step : undefined,
    ...details,
    logs,
    uartBytes: run.wire?.counters ?? { tx: 0, rx: 0 },
    metrics: { ...outcome.metrics, ...run.sampled },
    costs: runCosts(mcuCosts, readAirConnections(run.airPath), run.wire?.counters ?? { tx: 0, rx: 0 }),
    uartFaults: runUartFaults(run.uartFaults, run.wire?.faultStats ?? noFaultStats()),
    link: run.link,
    ...(pcap ? { pcap } : {}),
  };
}

/** The run's log files that exist (a run that failed early has written only some). */
function runLogs(run: RunContext): RunLogs {
  const existing = (path: string) => (existsSync(path) ? path : '');
  return {
    mcu: existing(join(run.dir, 'mcu.log')),
    modem: existing(join(run.dir, 'modem.log')),
    trace: run.traceOpened ? run.tracePath : '',
  };
}

function noFaultStats() {
  return { tx: emptyUartFaultStats(), rx: emptyUartFaultStats() };
}

function newRunContext(options: RunScenarioOptions, hooks: LifecycleHooks): RunContext {
  const dir = join(options.outDir, scenarioSlug(options.scenario.name), options.mode);
  const run: RunContext = {
    options,
    label: `${options.scenario.name} (${options.mode})`,
    dir,
    tracePath: join(dir, 'uart.jsonl'),
    airPath: join(dir, 'air.jsonl'),
    resources: new ResourceStack(),
    hooks,
    traceOpened: false,
    wire: null,
    uartFaults: uartFaultSpecOf(options.scenario, options.uartFaults, options.seed),
    link: options.link ?? resolveLinkProfile(options.scenario.link),
    sampled: {},
    phases: new RunPhases(),
    simulatedMs: null,
    coordinator: null,
  };
  if ((options.clock ?? 'simulated') === 'simulated') {
    const coordinator = newCoordinator(run);
    run.coordinator = coordinator;
    run.resources.defer('stop simulated time', () => coordinator.stop());
  }
  return run;
}

/** A release that failed fails a passed run, and is added to a failed run's error. */
function withReleaseFailures(run: RunContext, outcome: RunOutcome, failures: ReleaseFailure[]): RunOutcome {
  if (failures.length === 0) return outcome;
  const what = failures.map(({ label, error }) => `${label}: ${error.message}`).join('; ');
  runnerLog.warn(`${run.label}: could not ${what}`);
  if (outcome.status === 'passed')
    return failedOutcome('release the run', `could not ${what}`, outcome.metrics);
  return { ...outcome, error: `${outcome.error} (and could not ${what})` };
}
