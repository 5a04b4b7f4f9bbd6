// Finds scenario files: the given files, and every .ts file under the given folders.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MODES, type Mode, type ScenarioDefinition } from '../scenario/scenario-types.ts';

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
  const module = (await import(pathToFileURL(file).href)) as { default?: ScenarioDefinition };
  const scenario = module.default;
  if (!scenario || typeof scenario.app !== 'function' || typeof scenario.name !== 'string') {
    throw new Error(`${file} does not export default defineScenario({ name, app, ... })`);
  }
  return scenario;
}

/**
 * The modes a scenario runs in by default: its own `modes`, else the one its mbed_app.json selects with
 * nsapi.offload-tlssocket (as in Mbed OS), else both. An explicit --mode overrides mbed_app.json.
 */
export function defaultModes(file: string, scenario: ScenarioDefinition): readonly Mode[] {
  if (scenario.modes) return scenario.modes;
  const mbedApp = join(dirname(file), 'mbed_app.json');
  if (!existsSync(mbedApp)) return MODES;
  const json = JSON.parse(readFileSync(mbedApp, 'utf8')) as {
    target_overrides?: Record<string, Record<string, unknown>>;
  };
  const offload = json.target_overrides?.['*']?.['nsapi.offload-tlssocket'];
  if (offload === undefined) return MODES;
  return [offload === true ? 'offload' : 'mbedtls'];
}
