// Two real processes (MCU and modem) joined by the paced wire over tcp:// UART ends.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { runMany } from '../../../lab/runner/run-many.ts';
import { loadScenario } from '../../../lab/runner/scenario-files.ts';
import { directionBytes, readTrace } from '../../../shared/trace/trace-reader.ts';

const SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200];

/** The payload scenarios/plain-tcp-echo.ts sends for one size. */
function payload(size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = 0x30 + ((i * 7 + size) % 43);
  return out;
}

/**
 * The rate of each burst (chunks in one direction with no gap over 50 ms) that lasts 30 ms or more:
 * the bytes after its first chunk over the time since that chunk. Measured from a burst's start, where
 * the line was idle, so a late timer's catch-up inside a burst cannot look like a speed-up.
 */
function burstRates(chunks: Array<{ t: number; data: Uint8Array }>): number[] {
  const rates: number[] = [];
  let start = 0;
  for (let i = 1; i <= chunks.length; i++) {
    if (i < chunks.length && chunks[i].t - chunks[i - 1].t <= 50) continue;
    const spanMs = chunks[i - 1].t - chunks[start].t;
    const bytes = chunks.slice(start + 1, i).reduce((sum, c) => sum + c.data.length, 0);
    if (spanMs >= 30) rates.push(bytes / (spanMs / 1000));
    start = i;
  }
  return rates;
}

describe('runner: plain TCP/UDP echo through real MCU and modem processes', function () {
  this.timeout(90_000);

  it('passes at 115200 baud 8N1, and the trace holds every payload byte both ways', async () => {
    const file = resolve('scenarios/plain-tcp-echo.ts');
    const scenario = await loadScenario(file);
    const outDir = mkdtempSync(join(tmpdir(), 'tlssim-run-'));
    const [result] = await runMany([{ file, scenario, mode: 'mbedtls' }], {
      outDir,
      baud: 115200,
      pacing: true,
    });
    expect(result.status, `${result.step}: ${result.error}`).to.equal('passed');
    const trace = readTrace(result.trace);
    expect(trace.header).to.include({
      baud: 115200,
      frame: '8N1',
      mode: 'mbedtls',
      scenario: 'plain-tcp-echo',
    });
    const tx = directionBytes(trace, 'tx');
    const rx = directionBytes(trace, 'rx');
    expect(tx.length).to.equal(result.uartBytes.tx);
    expect(rx.length).to.equal(result.uartBytes.rx);
    for (const size of SIZES.filter((s) => s >= 100)) {
      expect(tx.includes(payload(size)), `tx holds the ${size}-byte payload`).to.equal(true);
      expect(rx.includes(payload(size)), `rx holds the ${size}-byte echo`).to.equal(true);
    }
    // Paced: in each direction on its own, no burst crosses faster than the line rate (11 520 B/s at
    // 8N1). Averaging both directions over the whole run would hide pacing twice too fast.
    for (const dir of ['tx', 'rx'] as const) {
      const rates = burstRates(trace.chunks.filter((c) => c.dir === dir));
      expect(rates.length, `${dir}: bursts long enough to measure`).to.be.greaterThan(0);
      expect(Math.max(...rates), `${dir}: fastest burst, B/s`).to.be.below(11_520 * 1.05);
    }
  });
});
