// --shard i/n: the n shards of a suite are disjoint, together hold every run exactly once, differ in
// size by at most one, and do not depend on the order the files were found in: checked on synthetic
// keys and on the real scenarios/ folder (skipped runs included) for several n.
import { resolve } from 'node:path';
import { expect } from 'chai';
import { planRuns } from '../../../lab/cli/run-plan.ts';
import { findScenarioFiles } from '../../../lab/runner/scenario-files.ts';
import { inShard, parseShard, type ShardKey } from '../../../lab/runner/shard.ts';
import { MODES } from '../../../lab/scenario/scenario-types.ts';

const root = resolve(import.meta.dirname, '../../..');

function keys(count: number): ShardKey[] {
  return Array.from({ length: count }, (_, i) => ({
    file: resolve(root, `scenarios/s${String(Math.floor(i / 2)).padStart(3, '0')}.ts`),
    mode: MODES[i % 2],
  }));
}

const name = (k: ShardKey) => `${k.file} ${k.mode}`;

/** A fixed shuffle (no Math.random: a failure must replay). */
function shuffled<T>(items: readonly T[]): T[] {
  return [...items]
    .map((item, i) => ({ item, key: (i * 7919) % 104729 }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.item);
}

describe('shard (tlssim run --shard)', () => {
  it('parses i/n, 1-based, and refuses anything else', () => {
    expect(parseShard('2/4')).to.deep.equal({ index: 2, total: 4 });
    expect(parseShard('1/1')).to.deep.equal({ index: 1, total: 1 });
    for (const bad of ['0/4', '5/4', '4', '1/0', 'a/b', '-1/3', '1/4/2', ''])
      expect(() => parseShard(bad), bad).to.throw(/--shard must be i\/n/);
  });

  for (const count of [0, 1, 5, 23, 71])
    it(`partitions ${count} runs for n = 1..7: disjoint, complete, balanced, order-independent`, () => {
      const all = keys(count);
      for (let total = 1; total <= 7; total++) {
        const shards = Array.from({ length: total }, (_, i) => inShard(all, { index: i + 1, total }, root));
        const union = shards.flat().map(name);
        expect(union.length, `n=${total}`).to.equal(all.length);
        expect(new Set(union).size).to.equal(all.length);
        expect([...union].sort()).to.deep.equal(all.map(name).sort());
        const sizes = shards.map((s) => s.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).to.be.at.most(1);
        // Another machine found the files in another order: the same shards.
        const again = Array.from({ length: total }, (_, i) =>
          inShard(shuffled(all), { index: i + 1, total }, root)
            .map(name)
            .sort(),
        );
        expect(again).to.deep.equal(shards.map((s) => s.map(name).sort()));
      }
    });

  it('agrees between two checkouts at different paths (files are compared relative to the working directory)', () => {
    const here = keys(9);
    const there = here.map((k) => ({ ...k, file: k.file.replace(root, '/elsewhere/checkout') }));
    for (let index = 1; index <= 3; index++)
      expect(
        inShard(there, { index, total: 3 }, '/elsewhere/checkout').map(
          (k) => k.file.replace('/elsewhere/checkout', root) + k.mode,
        ),
      ).to.deep.equal(inShard(here, { index, total: 3 }, root).map((k) => k.file + k.mode));
  });

  it('splits the real suite (runs, mode-skipped and grep-skipped runs) so the shards hold each exactly once', async function () {
    this.timeout(60_000);
    const files = findScenarioFiles([
      resolve(root, 'scenarios'),
      resolve(root, 'test/lab/runner/fixtures/offload-only.ts'),
    ]);
    const options = { modeArg: 'mbedtls', modes: ['mbedtls' as const], grep: /^dtls|TLSSOCKET_/ };
    const whole = await planRuns(files, options);
    const everything = (plan: typeof whole) => [
      ...plan.jobs.map((j) => `run ${j.scenario.name} (${j.mode})`),
      ...plan.skipped.map((s) => `skip ${s.scenario} (${s.mode}): ${s.reason}`),
      ...plan.loadFailures.map((f) => `load ${f.file}`),
    ];
    expect(whole.jobs.length).to.be.greaterThan(5);
    expect(whole.skipped.some((s) => s.reason.startsWith('does not match --grep'))).to.equal(true);
    expect(whole.skipped.some((s) => s.reason.startsWith('runs only in offload'))).to.equal(true);
    for (const total of [1, 2, 3, 4, 9]) {
      const parts = [];
      for (let index = 1; index <= total; index++) {
        const plan = await planRuns(files, { ...options, shard: { index, total } });
        expect(plan.suiteSize).to.equal(whole.suiteSize);
        parts.push(...everything(plan));
      }
      expect(parts.sort(), `n=${total}`).to.deep.equal(everything(whole).sort());
    }
  });
});
