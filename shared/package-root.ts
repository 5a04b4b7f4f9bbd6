// The checkout's root, for files that live beside the sources rather than among them (package.json,
// scenarios/, the native binding in build/Release/). A module runs from its TypeScript source through
// tsx, or compiled to dist/ (tools/build-js.mjs), one folder deeper, so a path relative to its own
// import.meta.url would differ between the two; this module's own depth is known in both.
import { fileURLToPath } from 'node:url';

/** file: URL of the checkout's root folder, ending in '/'. */
export const PACKAGE_ROOT_URL = new URL(import.meta.url.endsWith('.ts') ? '../' : '../../', import.meta.url);

/** The absolute path of a file in the checkout: packagePath('scenarios/soak.ts'). */
export function packagePath(relativePath: string): string {
  return fileURLToPath(new URL(relativePath, PACKAGE_ROOT_URL));
}
