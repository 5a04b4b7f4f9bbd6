// Finds scenario files: the given files, and every .ts file under the given folders.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { resolveLinkProfile } from '../../modem/link/link-profile.ts';
import { parseFaultSpec } from '../faults/fault-spec.ts';
import { parseUartFaultSpec } from '../faults/uart-fault-spec.ts';
import { MODES, type Mode, type ScenarioDefinition } from '../scenario/scenario-types.ts';
import { timedEventProblems } from '../scenario/timed-events.ts';
import { isServerKind, SERVER_KINDS } from '../servers/server-kinds.ts';
import { messageOf } from './error-message.ts';
import { failureWhere } from './failure-where.ts';
import { importScenario } from './scenario-import.ts';
import { DTLS_KINDS } from './scenario-servers.ts';

export function findScenarioFiles(paths: string[]): string[] {
  const files: string[] = [];
  const visit = (path: string) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) throw new Error(`no such scenario file or folder: ${path}`);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (!entry.startsWith('_') && !entry.startsWith('.')) visit(join(path, entry));
      }
    } else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) {
      files.push(resolve(path));
    }
  };
  for (const path of paths) visit(path);
  return files;
}

export async function loadScenario(file: string): Promise<ScenarioDefinition> {
  let module: { default?: ScenarioDefinition };
  try {
    module = (await importScenario(file)) as typeof module;
  } catch (error) {
    // Syntax errors (esbuild's message carries file:line), a throw at top level (the line comes from
    // the stack), an import that does not resolve: name the file and the cause.
    const where = error instanceof Error ? failureWhere(error.stack, file) : undefined;
    const line = where?.includes(basename(file)) && !messageOf(error).includes(where) ? ` (at ${where})` : '';
    throw new Error(`${file}: ${messageOf(error)}${line}`);
  }
  const scenario = module.default;
  if (!scenario || typeof scenario.app !== 'function' || typeof scenario.name !== 'string') {
    throw new Error(
      `${file} does not export default defineScenario({ name, app, ... }) (helper modules start with _)`,
    );
  }
  const problems = scenarioProblems(scenario);
  if (problems.length) throw new Error(`${file}: ${problems.join('; ')}`);
  return scenario;
}

export interface LoadedScenario {
  file: string;
  scenario: ScenarioDefinition;
}

/** A file that did not load: what loadScenario said (the file and the real cause). */
export interface BrokenScenario {
  file: string;
  message: string;
}

/** Loads every file; one that fails is set aside with its cause, so the others still run. */
export async function loadScenarios(
  files: string[],
): Promise<{ loaded: LoadedScenario[]; broken: BrokenScenario[] }> {
  const loaded: LoadedScenario[] = [];
  const broken: BrokenScenario[] = [];
  for (const file of files) {
    try {
      loaded.push({ file, scenario: await loadScenario(file) });
    } catch (error) {
      broken.push({ file, message: messageOf(error) });
    }
  }
  return { loaded, broken };
}

const SCENARIO_KEYS = [
  'name',
  'description',
  'modes',
  'servers',
  'timeoutMs',
  'app',
  'uart',
  'faults',
  'uartFaults',
  'link',
  'events',
  'dtlsServer',
];
const UART_KEYS = ['plaintext', 'mbedtls', 'offload'];

/** What tsx's type-stripping cannot catch: misspelt keys, modes and server kinds, bad fault specs. */
export function scenarioProblems(scenario: ScenarioDefinition): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(scenario)) {
    if (!SCENARIO_KEYS.includes(key))
      problems.push(`unknown key "${key}" (known: ${SCENARIO_KEYS.join(', ')})`);
  }
  for (const mode of scenario.modes ?? []) {
    if (!MODES.includes(mode)) problems.push(`unknown mode "${mode}" (modes are ${MODES.join(', ')})`);
  }
  for (const kind of scenario.servers ?? []) {
    if (!isServerKind(kind) && !(kind in DTLS_KINDS)) {
      problems.push(
        `unknown server "${kind}" (known: ${[...SERVER_KINDS, ...Object.keys(DTLS_KINDS)].join(', ')})`,
      );
    }
  }
  if (scenario.uart && typeof scenario.uart === 'object') {
    for (const [key, set] of Object.entries(scenario.uart)) {
      if (!UART_KEYS.includes(key))
        problems.push(`unknown uart key "${key}" (known: ${UART_KEYS.join(', ')})`);
      for (const [which, list] of Object.entries(set ?? {})) {
        if (which !== 'present' && which !== 'absent')
          problems.push(`uart.${key}.${which}: use present or absent`);
        else if (!Array.isArray(list) || list.some((s) => typeof s !== 'string')) {
          problems.push(`uart.${key}.${which} must be a list of strings`);
        }
      }
    }
  }
  if (scenario.faults !== undefined) {
    try {
      parseFaultSpec(scenario.faults);
    } catch (error) {
      problems.push(messageOf(error));
    }
  }
  if (scenario.uartFaults !== undefined) {
    try {
      parseUartFaultSpec(scenario.uartFaults);
    } catch (error) {
      problems.push(messageOf(error));
    }
  }
  if (scenario.events !== undefined) problems.push(...timedEventProblems(scenario.events));
  if (scenario.link !== undefined) {
    try {
      resolveLinkProfile(scenario.link);
    } catch (error) {
      problems.push(messageOf(error));
    }
  }
  return problems;
}

/**
 * The modes a scenario runs in by default: its own `modes`, else the one its mbed_app.json selects with
 * nsapi.offload-tlssocket (as in Mbed OS), else both. An explicit --mode overrides mbed_app.json.
 */
export function defaultModes(file: string, scenario: ScenarioDefinition): readonly Mode[] {
  if (scenario.modes) return scenario.modes;
  const mbedApp = join(dirname(file), 'mbed_app.json');
  if (!existsSync(mbedApp)) return MODES;
  let json: { target_overrides?: Record<string, Record<string, unknown>> };
  try {
    json = JSON.parse(readFileSync(mbedApp, 'utf8'));
  } catch (error) {
    throw new Error(`${mbedApp}: not valid JSON (${messageOf(error)})`);
  }
  const offload = json.target_overrides?.['*']?.['nsapi.offload-tlssocket'];
  if (offload === undefined) return MODES;
  return [offload === true ? 'offload' : 'mbedtls'];
}
