#!/usr/bin/env node
// tlssim runs its TypeScript sources directly through tsx: no build step between an edit and a run.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../lab/cli/main.ts');
process.exit(await main(process.argv.slice(2)));
