// Starts a tlssim subcommand (modem, mcu) as its own OS process, with its output captured to a log file.
// The process runs the compiled JavaScript in dist/ when that is current (tools/compiled-js.mjs), else
// the TypeScript sources through tsx, which costs each process some 200 ms of CPU compiling modules.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { log as processLog } from '../../shared/log.ts';
import { distPath, distStaleReason, ROOT, tsxForced } from '../../tools/compiled-js.mjs';

const CLI_MAIN = join(ROOT, 'lab/cli/main.ts');
const CLI_MAIN_JS = distPath('lab/cli/main.ts');
// tsx's ES module hooks only, as bin/tlssim.mjs registers them: tlssim is ES modules throughout, and
// `--import tsx` would also install tsx's CommonJS hook, which every require() inside serialport and the
// other CommonJS dependencies then goes through (about 50 ms of each process's start-up).
const TSX_LOADER = import.meta.resolve('tsx/esm');
const runnerLog = processLog.child('runner');
let staleSaid = false;
let lastCheck: { atMs: number; stale: string | null } | undefined;

/** distStaleReason() (some 300 stat calls, a few ms) at most once a second: an edit during a run counts. */
function staleReason(): string | null {
  const now = performance.now();
  if (!lastCheck || now - lastCheck.atMs > 1000) lastCheck = { atMs: now, stale: distStaleReason() };
  return lastCheck.stale;
}

/** How to start tlssim's CLI: from dist/, or through tsx when dist/ is missing or older than a source. */
function cliLaunch(): string[] {
  if (tsxForced()) return ['--import', TSX_LOADER, CLI_MAIN];
  const stale = staleReason();
  if (!stale) return [CLI_MAIN_JS];
  if (!staleSaid) {
    staleSaid = true;
    runnerLog.info(
      `MCU and modem processes run through tsx: ${stale} (npm run build:js compiles dist/ again)`,
    );
  }
  return ['--import', TSX_LOADER, CLI_MAIN];
}

export interface SpawnedProcess {
  child: ChildProcess;
  /** settles with the exit code (or the signal name) once the process is gone */
  exited: Promise<number | string>;
  /** Kills the process if it still runs; settles once it is gone and its log file is closed. */
  stop(): Promise<void>;
}

export function spawnTlssim(
  args: string[],
  options: { logFile: string; env?: NodeJS.ProcessEnv; ipc?: boolean },
): SpawnedProcess {
  const log = createWriteStream(options.logFile);
  // A log that cannot be written (a full disk) costs the log, not the whole runner.
  log.on('error', (error) => runnerLog.warn(`${options.logFile}: ${error.message}`));
  const logClosed = new Promise<void>((resolve) => log.once('close', () => resolve()));
  const launch = cliLaunch();
  runnerLog.debug(`${args[0]}: node ${launch.join(' ')}`);
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [...launch, ...args], {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe', ...(options.ipc ? (['ipc'] as const) : [])],
    });
  } catch (error) {
    log.destroy();
    throw error;
  }
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      // Let the pipes drain before closing the log.
      setImmediate(() => log.end());
      resolve(code ?? signal ?? 'unknown');
    });
    child.once('error', (error) => {
      log.end(`spawn failed: ${error.message}\n`);
      resolve('spawn-error');
    });
  });
  return {
    child,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      await logClosed;
    },
  };
}
