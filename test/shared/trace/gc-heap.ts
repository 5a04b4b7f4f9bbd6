// Live heap after a full collection, for tests that bound what a streaming reader keeps. mocha runs
// without --expose-gc; V8 lets a running process turn the flag on and reach gc() from a new context
// (node's docs, v8.setFlagsFromString).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Bytes still reachable: heap objects plus Buffer memory outside the heap. */
export function liveBytes(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
