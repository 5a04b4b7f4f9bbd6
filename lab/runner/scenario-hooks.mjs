// Module hooks for scenario files anywhere on disk (https://nodejs.org/api/module.html#customization-hooks).
// Plain JavaScript: hooks run on Node's loader thread, before any TypeScript loader is in place.
// * `tlssim` resolves to this checkout's index.ts, the URL the package's own name resolves to inside
//   the checkout, so a scenario and the runner share one instance of every module. In a process that
//   runs compiled (dist/, tools/build-js.mjs) it resolves to dist/index.js, and a checkout source a
//   scenario imports by path (lab/…/x.ts) to its compiled twin, for the same reason.
// * A .ts file outside the checkout, in a folder without a package.json saying "type": "module", would
//   be read as CommonJS (Node's default), and require() of tlssim's ES modules fails ("Cannot require()
//   ES Module … in a cycle"); scenarios are ES modules, so such files are loaded as modules.

/** @type {string} */
let indexUrl = '';
/** @type {string} */
let rootUrl = '';
/** dist/ when the process runs compiled, else '' */
let compiledUrl = '';

/** @param {{ indexUrl: string, rootUrl: string, compiledUrl?: string }} data */
export function initialize(data) {
  indexUrl = data.indexUrl;
  rootUrl = data.rootUrl;
  compiledUrl = data.compiledUrl ?? '';
}

/** The sources dist/ holds (tools/compiled-js.mjs, SOURCE_ROOTS), relative to the checkout. */
const COMPILED_SOURCE = /^(?:index|(?:lab|mcu|modem|shared)\/.+)\.ts$/;

/** @param {string} url */
const compiledTwin = (url) => {
  if (!compiledUrl || !url.startsWith(rootUrl)) return undefined;
  const path = url.slice(rootUrl.length);
  return COMPILED_SOURCE.test(path) ? `${compiledUrl}${path.slice(0, -3)}.js` : undefined;
};

/** @param {string} url */
const foreignTs = (url) =>
  url.startsWith('file:') &&
  url.endsWith('.ts') &&
  !url.startsWith(rootUrl) &&
  !url.includes('/node_modules/');

/**
 * @param {string} specifier
 * @param {{ parentURL?: string }} context
 * @param {(specifier: string, context?: object) => Promise<{ url: string, format?: string | null }>} nextResolve
 */
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'tlssim') return { url: indexUrl, format: 'module', shortCircuit: true };
  const resolved = await nextResolve(specifier, context);
  const twin = compiledTwin(resolved.url);
  if (twin) return { url: twin, format: 'module', shortCircuit: true };
  return foreignTs(resolved.url) ? { ...resolved, format: 'module' } : resolved;
}

/**
 * @param {string} url
 * @param {{ format?: string | null }} context
 * @param {(url: string, context?: object) => Promise<{ format?: string | null }>} nextLoad
 */
export async function load(url, context, nextLoad) {
  if (!foreignTs(url)) return nextLoad(url, context);
  return nextLoad(url, { ...context, format: 'module' });
}
