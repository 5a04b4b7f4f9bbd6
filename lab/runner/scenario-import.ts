// Imports a scenario file, wherever it is: the first call registers the module hooks that let a file
// outside this checkout import 'tlssim' as an ES module (scenario-hooks.mjs says how). Both the runner
// (loading) and the MCU process (running) import scenarios through here, so they resolve alike.
//
// Scenarios are TypeScript, always loaded through tsx. tlssim itself runs either from its sources
// through tsx (tsx is in place already) or compiled to dist/ (tools/build-js.mjs); compiled, this
// registers tsx for the scenario files, and the hooks point 'tlssim' at dist/index.js, the modules this
// process already runs, so a scenario sees the config and the logger the runner set.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { PACKAGE_ROOT_URL } from '../../shared/package-root.ts';

/** Is this module running compiled (from dist/), not from its TypeScript source? */
const COMPILED = !import.meta.url.endsWith('.ts');

const INDEX_URL = new URL(COMPILED ? '../../index.js' : '../../index.ts', import.meta.url).href;

let registered: Promise<void> | undefined;

async function registerScenarioHooks(): Promise<void> {
  if (COMPILED) {
    // Loaded before any hook is in place, since each later import is a round trip to the hooks thread;
    // the scenario imports all of it anyway (some 60 ms of CPU less per MCU process).
    await import(INDEX_URL);
    (await import('tsx/esm/api')).register();
  }
  register(new URL('lab/runner/scenario-hooks.mjs', PACKAGE_ROOT_URL), {
    data: {
      indexUrl: INDEX_URL,
      rootUrl: PACKAGE_ROOT_URL.href,
      // compiled: dist/, where a checkout source a scenario imports by path is loaded from instead
      compiledUrl: COMPILED ? new URL('../../', import.meta.url).href : '',
    },
  });
}

export async function importScenario(file: string): Promise<unknown> {
  registered ??= registerScenarioHooks();
  await registered;
  return import(pathToFileURL(file).href);
}
