#!/usr/bin/env node
// Compiles tlssim's TypeScript (index.ts, lab/, mcu/, modem/, shared/) to dist/ with esbuild: one .js
// file per .ts file, at the same relative path, so each module keeps its one identity and its
// import.meta.url neighbours. A relative `./x.ts` import becomes `./x.js`; an import of a file outside
// those folders (tools/) is re-pointed from dist/; packages stay as they are. MCU and modem processes
// then start without tsx compiling some 200 modules each time; scenario files stay TypeScript, loaded
// through tsx (lab/runner/scenario-import.ts). Run by `npm ci` (the prepare script), `npm run build:js`,
// and before `npm test` with --if-stale (only when a source changed since the last build);
// tools/compiled-js.mjs says whether dist/ is current.
import { existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  BUILD_INPUTS,
  DIST,
  distPath,
  distStaleReason,
  fileStamp,
  MANIFEST,
  MANIFEST_VERSION,
  ROOT,
  SOURCE_ROOTS,
} from './compiled-js.mjs';

const say = (message) => console.log(`[tlssim build:js] ${message}`);
const posix = (path) => path.split(sep).join('/');

/** The .ts files to compile and the folders that hold them, relative to the checkout. */
function collectSources() {
  const files = [];
  const dirs = [];
  const walk = (dir) => {
    dirs.push(dir);
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(path);
    }
  };
  for (const root of SOURCE_ROOTS) {
    if (root.endsWith('.ts')) files.push(root);
    else walk(root);
  }
  return { files, dirs };
}

/** Is this absolute path one of the compiled sources? */
function compiled(path) {
  const rel = posix(relative(ROOT, path));
  return (
    rel.endsWith('.ts') &&
    !rel.endsWith('.d.ts') &&
    SOURCE_ROOTS.some((root) => rel === root || rel.startsWith(`${root}/`))
  );
}

/** Every import is left to Node at run time, with its specifier rewritten for the file's place in dist/. */
const rewriteImports = {
  name: 'tlssim-dist-imports',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      if (!args.path.startsWith('.')) return { path: args.path, external: true };
      const target = resolve(args.resolveDir, args.path);
      if (compiled(target)) return { path: args.path.replace(/\.ts$/, '.js'), external: true };
      if (target.endsWith('.ts')) {
        return { errors: [{ text: `${args.path}: a TypeScript file outside ${SOURCE_ROOTS.join(', ')}` }] };
      }
      const from = dirname(distPath(posix(relative(ROOT, args.importer))));
      const path = posix(relative(from, target));
      return { path: path.startsWith('.') ? path : `./${path}`, external: true };
    });
  },
};

/** Replaces dist/ with the new build; when another build swaps its own in meanwhile, that one stays. */
function swapIn(next, old) {
  try {
    renameSync(DIST, old);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  try {
    renameSync(next, DIST);
  } catch (error) {
    if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    say('another build replaced dist/ meanwhile; it stays');
  }
}

export async function buildJs() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    say('esbuild is not installed: tlssim runs its TypeScript through tsx');
    return false;
  }
  const missing = SOURCE_ROOTS.filter((root) => !existsSync(join(ROOT, root)));
  if (missing.length > 0) {
    // The Dockerfile's `npm ci` layer, before the sources are copied in: it builds again after.
    say(`no ${missing.join(', ')} here yet: nothing to compile`);
    return false;
  }
  const started = performance.now();
  const { files, dirs } = collectSources();
  // Recorded before esbuild reads the files: an edit during the build leaves dist/ stale, not wrong.
  const stamps = Object.fromEntries(
    [...files, ...dirs, ...BUILD_INPUTS].map((path) => [path, fileStamp(statSync(join(ROOT, path)))]),
  );
  // Built beside dist/ and swapped in, so a tlssim process starting meanwhile never sees half a build.
  const next = `${DIST}.building-${process.pid}`;
  const old = `${DIST}.old-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  try {
    await esbuild.build({
      entryPoints: files.map((file) => join(ROOT, file)),
      outdir: next,
      outbase: ROOT,
      bundle: true, // with every import external: one output per source, imports rewritten above
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'linked',
      sourcesContent: false,
      tsconfig: join(ROOT, 'tsconfig.json'),
      plugins: [rewriteImports],
      logLevel: 'warning',
    });
    writeFileSync(
      join(next, 'build-manifest.json'),
      `${JSON.stringify({ version: MANIFEST_VERSION, stamps })}\n`,
    );
    swapIn(next, old);
  } finally {
    rmSync(next, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
  say(`${files.length} files compiled to dist/ in ${Math.round(performance.now() - started)} ms`);
  return existsSync(MANIFEST);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const ifStale = process.argv.includes('--if-stale');
  try {
    if (!ifStale || distStaleReason() !== null) await buildJs();
  } catch (error) {
    // esbuild has printed the errors; the sources do not compile, so tsx could not run them either.
    console.error(
      `[tlssim build:js] ERROR: ${error instanceof Error ? error.message.split('\n')[0] : error}`,
    );
    // Before `npm test` a failed build is not a failed test run: tlssim then runs through tsx.
    process.exit(ifStale ? 0 : 1);
  }
}
