// Starts a tlssim subcommand (modem, mcu) as its own OS process, running the TypeScript sources
// through tsx, with its output captured to a log file.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { log as processLog } from '../../shared/log.ts';

const CLI_MAIN = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
// tsx's ES module hooks only, as bin/tlssim.mjs registers them: tlssim is ES modules throughout, and
// `--import tsx` would also install tsx's CommonJS hook, which every require() inside serialport and the
// other CommonJS dependencies then goes through (about 50 ms of each process's start-up).
const TSX_LOADER = import.meta.resolve('tsx/esm');
const runnerLog = processLog.child('runner');

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
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, ['--import', TSX_LOADER, CLI_MAIN, ...args], {
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
