// The trace reader streams: a 20 MB synthetic trace (bench/synthetic-trace.ts; the 50 MB and 600 MB
// runs are `npm run bench -- trace`) is read, and checked for UART expectations, while the live heap
// stays far below the trace's size. The old whole-file reader kept about 80 MB live for this file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { writeSyntheticTrace } from '../../../bench/synthetic-trace.ts';
import { checkUartStream } from '../../../lab/runner/uart-checks.ts';
import { isChunk, openTrace, readTrace } from '../../../shared/trace/trace-reader.ts';
import { liveBytes } from './gc-heap.ts';

const MB = 1_000_000;
/** A quarter of the file: a reader that keeps the trace (or its text) cannot stay under it. */
// What a streaming read may hold: its 1 MB blocks, the checks' carried tails and the code V8 compiles
// along the way (5.7-5.8 MB measured after collection on a loaded clean clone), against at least
// 20 MB for a whole-file read of the same 20 MB trace (the second test).
const LIVE_BOUND = 8 * MB;

describe('streaming trace reader', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'tlssim-trace-stream-'));
  const file = join(dir, 'uart.jsonl');
  let size = 0;

  before(() => {
    size = writeSyntheticTrace(file, 20 * MB, { secret: 'top-secret-token' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs `each` on every record and returns the largest live-heap growth seen along the way. */
  function peakGrowth(each: (n: number) => void): number {
    const base = liveBytes();
    let peak = 0;
    let n = 0;
    for (const record of openTrace(file)) {
      if (isChunk(record)) each(n);
      if (++n % 40_000 === 0) peak = Math.max(peak, liveBytes() - base);
    }
    return peak;
  }

  it('reads every record of a 20 MB trace holding a few MB at most', () => {
    let chunks = 0;
    const peak = peakGrowth(() => chunks++);
    expect(size).to.be.greaterThan(20 * MB);
    expect(chunks).to.be.greaterThan(200_000);
    expect(peak, `live heap growth ${(peak / MB).toFixed(1)} MB`).to.be.lessThan(LIVE_BOUND);
  });

  it('a whole-file read keeps far more (what the bound above rules out)', () => {
    const base = liveBytes();
    const trace = readTrace(file);
    const kept = liveBytes() - base;
    expect(trace.chunks.length).to.be.greaterThan(200_000);
    expect(kept).to.be.greaterThan(20 * MB);
  });

  it('checks UART expectations on the stream, finding a text late in the file', () => {
    const base = liveBytes();
    let peak = 0;
    let n = 0;
    function* pieces() {
      for (const record of openTrace(file)) {
        if (!isChunk(record)) continue;
        yield record.data;
        if (++n % 40_000 === 0) peak = Math.max(peak, liveBytes() - base);
      }
    }
    const failures = checkUartStream(
      { plaintext: { present: ['top-secret-token', 'never-sent'], absent: ['QIRD=0,1500'] } },
      'mbedtls',
      pieces(),
    );
    expect(failures).to.deep.equal([
      'expected "never-sent" on the UART, but it never crossed',
      '"QIRD=0,1500" crossed the UART in clear, but must not',
    ]);
    expect(peak, `live heap growth ${(peak / MB).toFixed(1)} MB`).to.be.lessThan(LIVE_BOUND);
  });
});
