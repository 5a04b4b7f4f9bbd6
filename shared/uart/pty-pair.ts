// A pseudo-terminal pair made by socat: one end for tlssim (opened with serialport's native binding),
// the other for a person's terminal program (picocom, minicom, screen) or another driver.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  /** the end tlssim opens */
  ownPath: string;
  /** the end to give to a terminal or another driver (a stable symlink) */
  peerPath: string;
  /** the /dev/pts device behind peerPath */
  peerDevice: string;
  close(): void;
}

export async function openPtyPair(timeoutMs = 5000): Promise<PtyPair> {
  const dir = mkdtempSync(join(tmpdir(), 'tlssim-pty-'));
  const ownPath = join(dir, 'tlssim');
  const peerPath = join(dir, 'uart');
  let child: ChildProcess;
  try {
    child = spawn('socat', [`pty,raw,echo=0,link=${ownPath}`, `pty,raw,echo=0,link=${peerPath}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    throw new Error(`cannot start socat (apt-get install socat): ${(error as Error).message}`);
  }
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (e) => reject(new Error(`cannot start socat (apt-get install socat): ${e.message}`)));
    child.once('exit', (code) => reject(new Error(`socat exited (${code}) before the pty pair was ready`)));
  });
  const ready = (async () => {
    const deadline = performance.now() + timeoutMs;
    while (!(existsSync(ownPath) && existsSync(peerPath))) {
      if (performance.now() > deadline) throw new Error('socat did not create the pty pair in time');
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  await Promise.race([ready, failed]);
  child.removeAllListeners('exit');
  return {
    ownPath,
    peerPath,
    peerDevice: realpathSync(peerPath),
    close: () => {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
