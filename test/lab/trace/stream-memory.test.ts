// The analyser streams: `tlssim trace` (its transcript and --json) analyses a trace four times as long in
// the same memory. Synthetic mbedtls-mode traces (bench/synthetic-trace.ts) of 4 MB and 16 MB are read
// each in a process of its own, the live heap measured along the way; collecting the whole analysis
// of the long one keeps several times more. Throughput is `npm run bench -- trace`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { writeSyntheticTrace } from '../../../bench/synthetic-trace.ts';

const MB = 1_000_000;
const PROBE = fileURLToPath(new URL('./helpers/stream-memory-probe.ts', import.meta.url));
/** What a streaming pass may hold at most, whatever the trace's length: a few windows and buffers. */
const LIVE_BOUND = 8 * MB;

interface Probe {
  items: number;
  peakGrowth: number;
  outputBytes: number;
}

function probe(file: string, what: 'json' | 'transcript' | 'held'): Probe {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', PROBE, file, what], {
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

describe('streaming trace analysis: memory does not grow with the trace', function () {
  this.timeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'tlssim-trace-memory-'));
  const short = join(dir, 'short.jsonl');
  const long = join(dir, 'long.jsonl');

  before(() => {
    writeSyntheticTrace(short, 4 * MB, { secret: 'top-secret-token' });
    writeSyntheticTrace(long, 16 * MB, { secret: 'top-secret-token' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const what of ['json', 'transcript'] as const) {
    it(`${what}: a trace 4 times as long, the same live memory`, () => {
      const a = probe(short, what);
      const b = probe(long, what);
      expect(b.items).to.be.greaterThan(3.5 * a.items);
      expect(b.outputBytes).to.be.greaterThan(3.5 * a.outputBytes);
      const growth = `${mb(a.peakGrowth)} for 4 MB, ${mb(b.peakGrowth)} for 16 MB`;
      expect(a.peakGrowth, growth).to.be.lessThan(LIVE_BOUND);
      expect(b.peakGrowth, growth).to.be.lessThan(LIVE_BOUND);
      expect(b.peakGrowth - a.peakGrowth, growth).to.be.lessThan(2 * MB);
    });
  }

  it('holding the whole analysis of the long trace keeps several times as much (what the bound rules out)', () => {
    const held = probe(long, 'held');
    expect(held.peakGrowth, mb(held.peakGrowth)).to.be.greaterThan(3 * LIVE_BOUND);
  });
});
