// Where tlssim's compiled JavaScript lives (dist/, written by tools/build-js.mjs) and whether it is
// current. bin/tlssim.mjs and the runner (lab/runner/spawn-tlssim.ts) start tlssim from dist/ when it
// is, and from the TypeScript sources through tsx otherwise, so an edit is never run as stale JavaScript.
// Plain JavaScript: it decides whether tsx is needed at all, before tsx is loaded.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** Not under build/: `node-gyp rebuild` (native/install.mjs) deletes build/ first. */
export const DIST = join(ROOT, 'dist');
/** What dist/ holds: one .js file per .ts file of these, at the same relative path. */
export const SOURCE_ROOTS = ['index.ts', 'lab', 'mcu', 'modem', 'shared'];
/** Files that change the output besides the sources. */
export const BUILD_INPUTS = ['tsconfig.json', 'tools/build-js.mjs', 'tools/compiled-js.mjs'];
export const MANIFEST = join(DIST, 'build-manifest.json');
export const MANIFEST_VERSION = 2;

/** `lab/cli/main.ts` → the absolute path of its compiled twin in dist/. */
export function distPath(sourcePath) {
  return join(DIST, sourcePath.replace(/\.ts$/, '.js'));
}

/**
 * What the build records of each input: modification time and size (an edit changes them; adding,
 * removing or renaming a file changes its folder's).
 * @param {import('node:fs').Stats} stat
 * @returns {string}
 */
export const fileStamp = (stat) => `${stat.mtimeMs}/${stat.size}`;

/**
 * Why dist/ cannot be run, or null when it is current: every source file, source folder and build input
 * still has the stamp the build recorded. About 300 stat calls, 2-5 ms.
 * @returns {string | null}
 */
export function distStaleReason() {
  /** @type {{ version?: number, stamps?: Record<string, string> }} */
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  } catch {
    return 'there is no build in dist/';
  }
  if (manifest.version !== MANIFEST_VERSION || !manifest.stamps) return 'dist/ was built by another version';
  for (const [path, stamp] of Object.entries(manifest.stamps)) {
    const stat = statSync(join(ROOT, path), { throwIfNoEntry: false });
    if (!stat) return `${path} is gone since the build`;
    if (fileStamp(stat) !== stamp) return `${path} changed since the build`;
  }
  return null;
}

/** TLSSIM_TSX=1 runs the TypeScript sources through tsx even when dist/ is current. */
export const tsxForced = () => process.env.TLSSIM_TSX === '1';
