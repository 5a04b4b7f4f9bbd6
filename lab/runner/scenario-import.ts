// Imports a scenario file, wherever it is: the first call registers the module hooks that let a file
// outside this checkout import 'tlssim' as an ES module (scenario-hooks.mjs says how). Both the runner
// (loading) and the MCU process (running) import scenarios through here, so they resolve alike.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

let registered = false;

function registerScenarioHooks(): void {
  if (registered) return;
  registered = true;
  register('./scenario-hooks.mjs', import.meta.url, {
    data: {
      indexUrl: new URL('../../index.ts', import.meta.url).href,
      rootUrl: new URL('../../', import.meta.url).href,
    },
  });
}

export async function importScenario(file: string): Promise<unknown> {
  registerScenarioHooks();
  return import(pathToFileURL(file).href);
}
