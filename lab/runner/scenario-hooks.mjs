// Module hooks for scenario files anywhere on disk (https://nodejs.org/api/module.html#customization-hooks).
// Plain JavaScript: hooks run on Node's loader thread, before any TypeScript loader is in place.
// * `tlssim` resolves to this checkout's index.ts, the URL the package's own name resolves to inside
//   the checkout, so a scenario and the runner share one instance of every module.
// * A .ts file outside the checkout, in a folder without a package.json saying "type": "module", would
//   be read as CommonJS (Node's default), and require() of tlssim's ES modules fails ("Cannot require()
//   ES Module … in a cycle"); scenarios are ES modules, so such files are loaded as modules.

/** @type {string} */
let indexUrl = '';
/** @type {string} */
let rootUrl = '';

/** @param {{ indexUrl: string, rootUrl: string }} data */
export function initialize(data) {
  indexUrl = data.indexUrl;
  rootUrl = data.rootUrl;
}

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
