// Runs one scenario in one mode through real processes: a modem process and an MCU process, each
// dialling into the lab's wire over a tcp:// UART, with every UART byte traced.
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readTrace } from '../../shared/trace/trace-reader.ts';
import { TraceWriter } from '../../shared/trace/trace-writer.ts';
import type { Mode, ScenarioDefinition } from '../scenario/scenario-types.ts';
import type { Lab } from '../servers/lab.ts';
import { listenWireEnd } from '../wire/tcp-wire-end.ts';
import { Wire } from '../wire/wire.ts';
import type { McuResult } from './mcu-process.ts';
import { startScenarioServers } from './scenario-servers.ts';
import { spawnTlssim } from './spawn-tlssim.ts';
import { checkUart, uartExpectations } from './uart-checks.ts';

export const DEFAULT_SCENARIO_TIMEOUT_MS = 60_000;

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
}

export interface ScenarioResult {
  scenario: string;
  /** the scenario file */
  file: string;
  mode: Mode;
  status: 'passed' | 'failed';
  durationMs: number;
  /** path of uart.jsonl */
  trace: string;
  dir: string;
  error?: string;
  step?: string;
  uartBytes: { tx: number; rx: number };
  /** measurements the app recorded with ctx.metric() */
  metrics: Record<string, number>;
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
    trace: '',
    dir: '',
    step,
    error,
    uartBytes: { tx: 0, rx: 0 },
    metrics: {},
  };
}

export function scenarioSlug(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-');
}

type Outcome = {
  status: 'passed' | 'failed';
  error?: string;
  step?: string;
  metrics?: Record<string, number>;
};

export async function runScenario(options: RunScenarioOptions): Promise<ScenarioResult> {
  const { scenario, mode, lab } = options;
  const started = performance.now();
  const dir = join(options.outDir, scenarioSlug(scenario.name), mode);
  mkdirSync(dir, { recursive: true });
  const tracePath = join(dir, 'uart.jsonl');
  const frame = options.frame ?? '8N1';
  const trace = new TraceWriter(tracePath, { baud: options.baud, frame, mode, scenario: scenario.name });
  const own = await startScenarioServers(scenario, lab, options.seed);
  const mcuEnd = await listenWireEnd();
  const modemEnd = await listenWireEnd();

  const modem = spawnTlssim(
    ['modem', '--uart', `tcp://127.0.0.1:${modemEnd.port}`, '--hosts', JSON.stringify(lab.hosts)],
    {
      logFile: join(dir, 'modem.log'),
    },
  );
  const mcu = spawnTlssim(
    [
      'mcu',
      '--uart',
      `tcp://127.0.0.1:${mcuEnd.port}`,
      '--scenario',
      options.file,
      '--mode',
      mode,
      '--baud',
      String(options.baud),
    ],
    {
      logFile: join(dir, 'mcu.log'),
      ipc: true,
      env: {
        TLSSIM_LAB: JSON.stringify({ servers: { ...lab.servers, ...own.endpoints }, pkiDir: lab.pki.dir }),
        TLSSIM_SEED: options.seed === undefined ? '' : String(options.seed),
      },
    },
  );

  let wire: Wire | null = null;
  void Promise.all([mcuEnd.connected, modemEnd.connected]).then(([mcuSide, modemSide]) => {
    wire = new Wire(mcuSide, modemSide, { baud: options.baud, frame, pacing: options.pacing, trace });
  });

  let step = 'start the MCU and modem processes';
  const timeoutMs = scenario.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const outcome = await new Promise<Outcome>((resolve) => {
    mcu.child.on('message', (message: McuResult | { type: 'step'; name: string }) => {
      if (message.type === 'step') step = message.name;
      else
        resolve({
          status: message.status,
          error: message.error,
          step: message.step,
          metrics: message.metrics,
        });
    });
    void mcu.exited.then((code) =>
      resolve({
        status: 'failed',
        step,
        error: `the MCU process exited (${code}) without reporting a result`,
      }),
    );
    void modem.exited.then((code) =>
      resolve({
        status: 'failed',
        step,
        error: `the modem process exited (${code}) while the scenario ran; see modem.log`,
      }),
    );
    timer = setTimeout(
      () => resolve({ status: 'failed', step, error: `timed out after ${timeoutMs / 1000} s` }),
      timeoutMs,
    );
  });
  clearTimeout(timer);
  mcu.kill();
  modem.kill();
  await Promise.all([mcu.exited, modem.exited]);
  (wire as Wire | null)?.close();
  mcuEnd.close();
  modemEnd.close();
  await trace.close();
  own.report(dir);
  await own.close();

  const counters = (wire as Wire | null)?.counters ?? { tx: 0, rx: 0 };
  let result: Outcome = outcome;
  if (outcome.status === 'passed') {
    const parsed = readTrace(tracePath);
    const bytes = Buffer.concat(parsed.chunks.map((c) => c.data));
    const failures = checkUart(uartExpectations(scenario, mode, lab.pki), mode, bytes);
    if (failures.length)
      result = { status: 'failed', step: 'check the UART trace', error: failures.join('; ') };
  }
  return {
    scenario: scenario.name,
    file: options.file,
    mode,
    status: result.status,
    durationMs: Math.round(performance.now() - started),
    trace: tracePath,
    dir,
    error: result.error,
    step: result.status === 'failed' ? result.step : undefined,
    uartBytes: { ...counters },
    metrics: outcome.metrics ?? {},
  };
}
