// Finds scenario files: the given files, and every .ts file under the given folders.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ScenarioDefinition } from '../scenario/scenario-types.ts';

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
