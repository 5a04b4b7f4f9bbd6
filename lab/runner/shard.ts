// `tlssim run --shard i/n`: one of n deterministic, disjoint parts of a suite, so a CI matrix or a
// Kubernetes Indexed Job can spread the runs over machines and the n parts together hold every run
// exactly once. Runs are sorted by scenario file (relative to the working directory, so two checkouts
// at different paths agree) and mode, then dealt round-robin: shards differ in size by at most one,
// and the order the files were given in does not matter.
import { relative } from 'node:path';
import { MODES, type Mode } from '../scenario/scenario-types.ts';

/** Shard `index` (1-based, as `--shard 1/4` … `4/4`, the convention of Playwright's and Jest's --shard) of `total`. */
export interface Shard {
  index: number;
  total: number;
}

/** What identifies a run across machines: its scenario file and its mode. */
export interface ShardKey {
  file: string;
  mode: Mode;
}

/** "i/n" with 1 ≤ i ≤ n; throws with what was expected otherwise. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (!match || total < 1 || index < 1 || index > total)
    throw new Error(`--shard must be i/n with 1 ≤ i ≤ n (e.g. 2/4), got "${text}"`);
  return { index, total };
}

function compareKeys(a: ShardKey, b: ShardKey, cwd: string): number {
  const fa = relative(cwd, a.file);
  const fb = relative(cwd, b.file);
  if (fa !== fb) return fa < fb ? -1 : 1;
  return MODES.indexOf(a.mode) - MODES.indexOf(b.mode);
}

/** The items of `items` that fall in `shard`, in their original order. */
export function inShard<T extends ShardKey>(items: readonly T[], shard: Shard, cwd = process.cwd()): T[] {
  if (shard.total === 1) return [...items];
  const sorted = [...items].sort((a, b) => compareKeys(a, b, cwd));
  const mine = new Set(sorted.filter((_, position) => position % shard.total === shard.index - 1));
  return items.filter((item) => mine.has(item));
}
