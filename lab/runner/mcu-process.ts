// The MCU process: opens its UART end, brings the cellular interface up, runs one scenario's app and
// reports the outcome to the runner over the IPC channel (or stdout when run by hand).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CellularInterface } from '../../mcu/cellular/cellular-interface.ts';
import { seedEphemeralPorts } from '../../mcu/cellular/ephemeral-port.ts';
import { loadMbedAppJson, setConfig } from '../../mcu/mbed-config.ts';
import { setDeviceClock } from '../../shared/clock.ts';
import { log as processLog, setLogSink, streamSink } from '../../shared/log.ts';
import { NSAPI_ERROR_OK, nsapiErrorName } from '../../shared/nsapi.ts';
import { installSimulatedGlobals } from '../../shared/sim/simulated-globals.ts';
import { SimulatedPart } from '../../shared/sim/simulated-part.ts';
import { closeUart, openUart } from '../../shared/uart/open-uart.ts';
import { readLabPki } from '../pki/lab-pki.ts';
import { appNetwork } from '../scenario/app-network.ts';
import type { AppContext, Mode, ScenarioDefinition, ServerEndpoint } from '../scenario/scenario-types.ts';
import { scheduleTimedEvents } from '../scenario/timed-events.ts';
import { FAILED_AT, failureWhere } from './failure-where.ts';
import { type McuCosts, measureMcuCosts } from './mcu-costs.ts';
import { ipcNetworkEventSender } from './mcu-network-events.ts';
import { restartedInterface } from './restarted-interface.ts';
import { importScenario } from './scenario-import.ts';

export interface McuProcessOptions {
  uart: string;
  scenarioFile: string;
  mode: Mode;
  baud: number;
  /** simulated: the runner's coordinator moves this process's clock (docs/simulated-time.md) */
  clock?: 'simulated' | 'wall';
}

/** Passed by the runner in the TLSSIM_LAB environment variable. */
export interface LabDescription {
  servers: Record<string, ServerEndpoint>;
  pkiDir: string;
}

export interface McuResult {
  type: 'result';
  status: 'passed' | 'failed';
  step: string;
  error?: string;
  /** the scenario's file:line the failure came from (its error's stack), when it is the app's */
  where?: string;
  durationMs: number;
  metrics: Record<string, number>;
  /** what TLS cost this process (measured when the app ended) */
  costs: McuCosts;
}

function report(result: McuResult): Promise<void> {
  if (process.send) return new Promise((resolve) => process.send?.(result, () => resolve()));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return Promise.resolve();
}

/** The runner's side of the process (config, steps, metrics, the app's outcome). */
const log = processLog.child('runner', 'MCU');
/** What the scenario's app logs with ctx.log. */
const appLog = processLog.child('app', 'APP');

const textOf = (parts: unknown[]) =>
  parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ');

/** mbed_app.json beside the scenario first (as in Mbed OS), then the run's mode overrides the offload key. */
function configureMode(scenarioFile: string, mode: Mode): void {
  const mbedApp = join(dirname(scenarioFile), 'mbed_app.json');
  if (existsSync(mbedApp)) log.info(`config: ${loadMbedAppJson(mbedApp).join(', ')} from ${mbedApp}`);
  setConfig('nsapi.offload-tlssocket', mode === 'offload');
  log.info(
    `mode ${mode}: TLSSocket is the ${mode === 'offload' ? 'offloaded (modem TLS)' : 'Mbed TLS'} variant`,
  );
}

/**
 * On simulated time every timer the device and its application set — the Mbed OS layers' (deviceClock),
 * the app's own setTimeout and performance.now(), a library's keepalive — runs on the part's clock.
 */
function simulateTime(): SimulatedPart {
  const part = new SimulatedPart();
  seedEphemeralPorts(Number(process.env.TLSSIM_SEED) || 1);
  setDeviceClock(part.clock);
  installSimulatedGlobals(part.clock);
  return part;
}

export async function runMcuProcess(options: McuProcessOptions): Promise<number> {
  const simulated = options.clock === 'simulated' ? simulateTime() : undefined;
  const started = performance.now();
  let step = 'load the scenario';
  const metrics: Record<string, number> = {};
  let reported: Promise<number> | undefined;
  // One result per process: a throw in a timer may come while the app's own failure is being reported.
  const finish = (status: McuResult['status'], error?: string, where?: string): Promise<number> => {
    reported ??= report({
      type: 'result',
      status,
      step,
      error,
      ...(where ? { where } : {}),
      durationMs: Math.round(performance.now() - started),
      metrics,
      costs: measureMcuCosts(),
    }).then(() => (status === 'passed' ? 0 : 1));
    return reported;
  };
  const fail = (error: unknown): Promise<number> => {
    // The log keeps the whole stack; the report keeps the message and the scenario's line. The runner
    // reads the "failed at" line back from mcu.log (lab/runner/failure-details.ts).
    log.error(error instanceof Error ? (error.stack ?? error.message) : `thrown: ${String(error)}`);
    const where = failureWhere(error instanceof Error ? error.stack : undefined, options.scenarioFile);
    if (where) log.error(`${FAILED_AT}${where}`);
    return finish(
      'failed',
      error instanceof Error ? error.message : `the app threw ${JSON.stringify(error) ?? String(error)}`,
      where,
    );
  };
  // A throw in a timer callback or a promise nobody awaits escapes the app's try/catch; without these
  // Node would print it and exit, and the runner would only see the process die ("start the MCU and
  // modem processes"). Report it as the app's failure at its current step, then exit as Node would
  // (https://nodejs.org/api/process.html#event-uncaughtexception).
  const escaped = (error: unknown) => {
    void fail(error).then(() => process.exit(1));
  };
  process.on('uncaughtException', escaped);
  process.on('unhandledRejection', escaped);
  // mcu.log: every channel of the process logger, in mbed-trace's look, on stdout (the runner's pipe).
  setLogSink(streamSink((text) => process.stdout.write(text)));
  try {
    const module = (await importScenario(options.scenarioFile)) as {
      default?: ScenarioDefinition;
    };
    const scenario = module.default;
    if (!scenario || typeof scenario.app !== 'function') {
      return finish('failed', `${options.scenarioFile} does not export default defineScenario({...})`);
    }
    configureMode(options.scenarioFile, options.mode);
    const lab = JSON.parse(process.env.TLSSIM_LAB ?? '{"servers":{},"pkiDir":""}') as LabDescription;
    const pki = lab.pkiDir ? readLabPki(lab.pkiDir) : null;

    step = 'open the UART';
    const port = await openUart(options.uart, options.baud);
    simulated?.countUart(port);
    let net = new CellularInterface(port);
    // The first report: from here on the coordinator knows what this process waits for.
    simulated?.poke();
    step = 'connect the cellular interface';
    const connected = await net.connect();
    if (connected !== NSAPI_ERROR_OK)
      return finish('failed', `net.connect() returned ${nsapiErrorName(connected)}`);

    step = 'run the app';
    // The runner times the power-up (lab/runner/run-phases.ts) up to here.
    process.send?.({ type: 'step', name: step });
    const context: AppContext = {
      net,
      server(kind) {
        const endpoint = lab.servers[kind];
        if (!endpoint)
          throw new Error(
            `lab server "${kind}" is not running: list it in the scenario's servers (DTLS servers exist only per run, under tlssim run)`,
          );
        return endpoint;
      },
      pki: {
        caPem: pki?.caPem ?? '',
        intermediatePem: pki?.intermediatePem ?? '',
        clientCertPem: pki?.clientCertPem ?? '',
        clientKeyPem: pki?.clientKeyPem ?? '',
      },
      mode: options.mode,
      log: (...parts) => appLog.info(textOf(parts)),
      step(name) {
        step = name;
        log.info(`step: ${name}`);
        process.send?.({ type: 'step', name });
      },
      metric(name, value) {
        metrics[name] = value;
        log.info(`metric: ${name} = ${value}`);
      },
      env: process.env,
      network: appNetwork(ipcNetworkEventSender()),
      async restartDevice() {
        log.info('MCU restart: the device code starts over, the modem keeps running');
        net.release();
        net = restartedInterface(port);
        const up = await net.connect();
        if (up !== NSAPI_ERROR_OK)
          throw new Error(`net.connect() after the restart returned ${nsapiErrorName(up)}`);
        context.net = net;
        return net;
      },
    };
    const stopEvents = scheduleTimedEvents(
      scenario.events ?? [],
      context.network,
      (entry) => log.info(`timed event at ${entry.atMs} ms: ${entry.event}`),
      (entry, error) =>
        log.error(
          `timed event ${entry.event} failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
    );
    try {
      await scenario.app(context);
    } finally {
      stopEvents();
    }
    const result = await finish('passed');
    await closeUart(port);
    return result;
  } catch (error) {
    return fail(error);
  }
}
