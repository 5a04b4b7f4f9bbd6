// The trace reader on long runs: synthetic traces of 50 MB and 600 MB (bench/synthetic-trace.ts),
// read, checked for UART expectations, and analysed as `tlssim trace --json` and `tlssim trace` do,
// each pass in its own process for its peak RSS; the throughput is of the trace file's bytes.
// TLSSIM_TRACE_BENCH_MB=50,600 sets the sizes. The traces go in a temporary folder, removed after.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Row } from './at-and-echo.bench.ts';
import { writeSyntheticTrace } from './synthetic-trace.ts';

const ONCE = fileURLToPath(new URL('./trace-read-once.ts', import.meta.url));

function pass(file: string, what: string): { seconds: number; maxRssMB: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', ONCE, file, what], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
}

export function benchTraceReader(): Row[] {
  const sizes = (process.env.TLSSIM_TRACE_BENCH_MB ?? '50,600').split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'tlssim-trace-bench-'));
  const rows: Row[] = [];
  try {
    for (const mb of sizes) {
      const file = join(dir, `uart-${mb}.jsonl`);
      const bytes = writeSyntheticTrace(file, mb * 1e6, { secret: 'top-secret-token' });
      for (const what of ['reader', 'uart', 'json', 'transcript']) {
        const { seconds, maxRssMB } = pass(file, what);
        rows.push({
          figure: `${mb} MB trace: ${what}`,
          value: `${seconds.toFixed(2)} s, ${(bytes / 1e6 / seconds).toFixed(0)} MB/s`,
          ratio: `peak RSS ${maxRssMB.toFixed(0)} MB`,
        });
      }
      rmSync(file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
