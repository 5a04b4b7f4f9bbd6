// The MCU process: opens its UART end, brings the cellular interface up, runs one scenario's app and
// reports the outcome to the runner over the IPC channel (or stdout when run by hand).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readLabPki } from '../lab/pki/lab-pki.ts';
import type { AppContext, Mode, ScenarioDefinition, ServerEndpoint } from '../lab/scenario/scenario-types.ts';
import { NSAPI_ERROR_OK, nsapiErrorName } from '../shared/nsapi.ts';
import { closeUart, openUart } from '../shared/uart/open-uart.ts';
import { CellularInterface } from './cellular/cellular-interface.ts';
import { loadMbedAppJson, setConfig } from './mbed-config.ts';
import { setTraceSink } from './mbed-trace.ts';

export interface McuProcessOptions {
  uart: string;
  scenarioFile: string;
  mode: Mode;
  baud: number;
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
  durationMs: number;
  metrics: Record<string, number>;
}

function report(result: McuResult): Promise<void> {
  if (process.send) return new Promise((resolve) => process.send?.(result, () => resolve()));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return Promise.resolve();
}

function log(...parts: unknown[]): void {
  const text = parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ');
  process.stdout.write(`[${(performance.now() / 1000).toFixed(3)}] ${text}\n`);
}

/** mbed_app.json beside the scenario first (as in Mbed OS), then the run's mode overrides the offload key. */
function configureMode(scenarioFile: string, mode: Mode): void {
  const mbedApp = join(dirname(scenarioFile), 'mbed_app.json');
  if (existsSync(mbedApp)) log(`config: ${loadMbedAppJson(mbedApp).join(', ')} from ${mbedApp}`);
  setConfig('nsapi.offload-tlssocket', mode === 'offload');
  log(`mode ${mode}: TLSSocket is the ${mode === 'offload' ? 'offloaded (modem TLS)' : 'Mbed TLS'} variant`);
}

export async function runMcuProcess(options: McuProcessOptions): Promise<number> {
  const started = performance.now();
  let step = 'load the scenario';
  const metrics: Record<string, number> = {};
  const finish = async (status: McuResult['status'], error?: string) => {
    await report({
      type: 'result',
      status,
      step,
      error,
      durationMs: Math.round(performance.now() - started),
      metrics,
    });
    return status === 'passed' ? 0 : 1;
  };
  try {
    const module = (await import(pathToFileURL(options.scenarioFile).href)) as {
      default?: ScenarioDefinition;
    };
    const scenario = module.default;
    if (!scenario || typeof scenario.app !== 'function') {
      return finish('failed', `${options.scenarioFile} does not export default defineScenario({...})`);
    }
    configureMode(options.scenarioFile, options.mode);
    setTraceSink((line) => log(line));
    const lab = JSON.parse(process.env.TLSSIM_LAB ?? '{"servers":{},"pkiDir":""}') as LabDescription;
    const pki = lab.pkiDir ? readLabPki(lab.pkiDir) : null;

    step = 'open the UART';
    const port = await openUart(options.uart, options.baud);
    const net = new CellularInterface(port, { log: (line) => log('[cellular]', line) });
    step = 'connect the cellular interface';
    const connected = await net.connect();
    if (connected !== NSAPI_ERROR_OK)
      return finish('failed', `net.connect() returned ${nsapiErrorName(connected)}`);

    step = 'run the app';
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
      log,
      step(name) {
        step = name;
        log(`step: ${name}`);
        process.send?.({ type: 'step', name });
      },
      metric(name, value) {
        metrics[name] = value;
        log(`metric: ${name} = ${value}`);
      },
      env: process.env,
    };
    await scenario.app(context);
    const result = await finish('passed');
    await closeUart(port);
    return result;
  } catch (error) {
    // The log keeps the whole stack (file and line in the scenario); the report keeps the message.
    log(error instanceof Error ? (error.stack ?? error.message) : `thrown: ${String(error)}`);
    return finish(
      'failed',
      error instanceof Error ? error.message : `the app threw ${JSON.stringify(error) ?? String(error)}`,
    );
  }
}
