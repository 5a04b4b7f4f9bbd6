#!/usr/bin/env node
// tlssim runs the JavaScript `npm ci` compiled to dist/ while it is current, and its TypeScript sources
// through tsx otherwise (no build yet, or a source edited since: tools/compiled-js.mjs), so an edit
// never needs a build step before a run, and is never run as stale JavaScript.
import { distPath, distStaleReason, tsxForced } from '../tools/compiled-js.mjs';

let main;
if (!tsxForced() && distStaleReason() === null) {
  ({ main } = await import(distPath('lab/cli/main.ts')));
} else {
  (await import('tsx/esm/api')).register();
  ({ main } = await import('../lab/cli/main.ts'));
}
process.exit(await main(process.argv.slice(2)));
