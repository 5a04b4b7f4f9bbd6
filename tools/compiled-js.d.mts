// Types of compiled-js.mjs, for the TypeScript that imports it (lab/runner/spawn-tlssim.ts).
export declare const ROOT: string;
export declare const DIST: string;
export declare const SOURCE_ROOTS: readonly string[];
export declare const BUILD_INPUTS: readonly string[];
export declare const MANIFEST: string;
export declare const MANIFEST_VERSION: number;
export declare function distPath(sourcePath: string): string;
export declare function fileStamp(stat: import('node:fs').Stats): string;
export declare function distStaleReason(): string | null;
export declare function tsxForced(): boolean;
