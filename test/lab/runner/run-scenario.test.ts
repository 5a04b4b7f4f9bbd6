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
    // Paced: the trace's timestamps cannot show bytes faster than the line rate (11 520 B/s at 8N1).
    const spanMs = trace.chunks.at(-1)!.t - trace.chunks[0].t;
    expect((tx.length + rx.length) / 2 / (spanMs / 1000)).to.be.below(11_520 * 1.05);
  });
});
