// The PKI cache on disk. Generating costs about a second of CPU, so a PKI is written once to a directory and
// reused until a file is missing, it fails its health check, or its certificates near their end.
//
// Several processes (mocha workers, MCU and modem processes) may ask for the same directory at once. Each
// generates into a private temporary directory and renames it into place: a reader sees a complete PKI or
// none, and a process that loses the race uses the winner's.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { generatePkiFiles, type PkiFiles } from './generate-pki.ts';
import { type LabPki, readLabPki } from './lab-pki.ts';
import { pkiProblems } from './pki-health.ts';
import { PKI_FILES } from './pki-layout.ts';

/** Environment variable naming the PKI directory (the runner passes it on to its child processes). */
export const PKI_DIR_ENV = 'TLSSIM_PKI_DIR';

export function defaultPkiDir(): string {
  return process.env[PKI_DIR_ENV] || join(tmpdir(), `tlssim-pki-${safeUserName()}`);
}

export interface LoadPkiOptions {
  /** The clock the health check uses (tests move it forward to see renewal). */
  now?: Date;
}

const inFlight = new Map<string, Promise<LabPki>>();

/** The PKI in `dir` if usable, otherwise a fresh one generated into `dir`. */
export function loadOrCreatePki(
  dir: string = defaultPkiDir(),
  options: LoadPkiOptions = {},
): Promise<LabPki> {
  const pending = inFlight.get(dir);
  if (pending) return pending;
  const work = loadOrCreate(dir, options.now ?? new Date()).finally(() => inFlight.delete(dir));
  inFlight.set(dir, work);
  return work;
}

/** The PKI in `dir` if present and healthy at `now`; undefined otherwise (with the reasons in `why`). */
export function loadUsablePki(dir: string, now: Date = new Date(), why: string[] = []): LabPki | undefined {
  let pki: LabPki;
  try {
    pki = readLabPki(dir);
  } catch (error) {
    why.push((error as Error).message);
    return undefined;
  }
  why.push(...pkiProblems(pki, now));
  return why.length === 0 ? pki : undefined;
}

/** Writes `files` as a complete PKI directory at `dir`, replacing whatever was there. */
export function writePkiFiles(dir: string, files: PkiFiles): void {
  install(dir, files);
}

async function loadOrCreate(dir: string, now: Date): Promise<LabPki> {
  const cached = loadUsablePki(dir, now);
  if (cached) return cached;
  install(dir, await generatePkiFiles(now), now);
  const why: string[] = [];
  const installed = loadUsablePki(dir, now, why);
  if (!installed) throw new Error(`lab PKI in ${dir} is unusable right after generation: ${why.join('; ')}`);
  return installed;
}

// With `keepUsableAt`, a healthy directory that another process put in place meanwhile is kept.
function install(dir: string, files: PkiFiles, keepUsableAt?: Date): void {
  mkdirSync(dirname(dir), { recursive: true });
  const staging = mkdtempSync(`${dir}.tmp-`);
  try {
    writeInto(staging, files);
    if (tryRename(staging, dir)) return;
    if (keepUsableAt && loadUsablePki(dir, keepUsableAt)) return;
    replaceDirectory(staging, dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function writeInto(dir: string, files: PkiFiles): void {
  // The manifest goes last: its presence marks the directory complete.
  const last = (path: string) => Number(path === PKI_FILES.manifest);
  const ordered = [...files].sort(([a], [b]) => last(a) - last(b));
  for (const [relative, text] of ordered) {
    const path = join(dir, relative);
    mkdirSync(dirname(path), { recursive: true });
    // Private keys live here too, so keep the files to their owner.
    writeFileSync(path, text, { mode: 0o600 });
  }
}

function tryRename(from: string, to: string): boolean {
  try {
    renameSync(from, to);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') return false;
    throw error;
  }
}

// Moves the old directory aside before renaming the new one in, so `to` is never half-written. If another
// process swaps in its own PKI meanwhile, that one stays; loadOrCreate checks whatever ends up in place.
function replaceDirectory(from: string, to: string): void {
  const aside = `${to}.old-${process.pid}-${Date.now()}`;
  try {
    renameSync(to, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    tryRename(from, to);
  } finally {
    rmSync(aside, { recursive: true, force: true });
  }
}

function safeUserName(): string {
  try {
    return userInfo().username.replace(/[^A-Za-z0-9_.-]/g, '_') || 'user';
  } catch {
    return String(process.getuid?.() ?? 'user');
  }
}
