// What a finished run may have left behind in this process: child processes, listening sockets, open
// files under its folder, and Node's active handles and requests (timers, sockets, processes, pipes).
import { createHook } from 'node:async_hooks';
import dgram from 'node:dgram';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import net from 'node:net';

/**
 * Polls `leaks` until it finds nothing or `withinMs` passes, and returns what it found last. A handle
 * closed by a settled close() may still be listed until the event loop's next turn (libuv frees it in
 * a close callback); a leaked one is still there after the wait.
 */
export async function remainingAfter<T extends object>(leaks: () => T, withinMs = 250): Promise<T> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    const found = leaks();
    if (Object.keys(found).length === 0 || performance.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Node's view: how many active handles/requests of each kind (Timeout, TCPServerWrap, ProcessWrap, …). */
export function activeResourceCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/**
 * The kinds of which there are more now than in `before`, with how many more. Timers are left to
 * watchTimers(): Node counts them in one number that the test framework's own timer also moves.
 */
export function resourcesAddedSince(before: Record<string, number>): Record<string, number> {
  const added: Record<string, number> = {};
  for (const [kind, count] of Object.entries(activeResourceCounts())) {
    if (kind !== 'Timeout' && count > (before[kind] ?? 0)) added[kind] = count - (before[kind] ?? 0);
  }
  return added;
}

/**
 * Timers and immediates created from now until `endOfRun()`; `pending()` lists those of them not yet
 * fired or cleared. Destroy events come in later batches, so they are heard until `stop()`.
 */
export function watchTimers(): { endOfRun(): void; pending(): string[]; stop(): void } {
  const live = new Map<number, string>();
  let recording = true;
  const hook = createHook({
    init(id, type) {
      if (recording && (type === 'Timeout' || type === 'Immediate')) live.set(id, type);
    },
    destroy(id) {
      live.delete(id);
    },
  }).enable();
  return {
    endOfRun: () => {
      recording = false;
    },
    pending: () => [...live.values()],
    stop: () => hook.disable(),
  };
}

/** The kernel's view: processes whose parent is this process. */
export function childPids(): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid …; comm may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid) children.push(Number(entry));
    } catch {
      // the process went away while we looked
    }
  }
  return children;
}

/** A pid that signal 0 still reaches (ESRCH once the process is gone and reaped). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !(error instanceof Error && 'code' in error && error.code === 'ESRCH');
  }
}

/** Files this process holds open under `dir` (its descriptors, as /proc/self/fd shows them). */
export function openFilesUnder(dir: string): string[] {
  const open: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(`${dir}/`)) open.push(target);
    } catch {
      // the descriptor closed while we looked (readdir's own among them)
    }
  }
  return open;
}

/** Whether a TCP connection to 127.0.0.1:port is refused (nobody listens); settles once the probe closed. */
export function tcpRefuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    let accepted = false;
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      accepted = true;
      socket.destroy();
    });
    socket.once('error', () => {});
    socket.once('close', () => resolve(!accepted));
  });
}

/** Whether the UDP port on 127.0.0.1 is free again (a bind succeeds). */
export function udpPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

/** How many sockets this process holds (TCP, UDP, and the unix sockets of IPC channels). */
export function openSocketCount(): number {
  let sockets = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:')) sockets++;
    } catch {
      // closed while we looked
    }
  }
  return sockets;
}
