// Made-up run results for the report tests (JUnit, index page, retries): a passed, a flaky and a failed
// run with the folders and log paths a real run would have.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Attempt, RunResult } from '../../../../lab/runner/retry.ts';
import { failedResult } from '../../../../lab/runner/run-scenario.ts';

/** A run result whose folder and files exist under `outDir`. */
export function fakeResult(
  outDir: string,
  scenario: string,
  status: 'passed' | 'failed',
  extra: Partial<RunResult> = {},
): RunResult {
  const dir = join(outDir, scenario, 'mbedtls');
  mkdirSync(dir, { recursive: true });
  const logs = { mcu: join(dir, 'mcu.log'), modem: join(dir, 'modem.log'), trace: join(dir, 'uart.jsonl') };
  for (const file of Object.values(logs)) writeFileSync(file, '');
  const base = failedResult(
    { file: join(outDir, `${scenario}.ts`), scenario: { name: scenario }, mode: 'mbedtls' },
    'x',
    'x',
  );
  const { notStarted: _, ...started } = base;
  return {
    ...started,
    status,
    durationMs: 2345,
    dir,
    trace: logs.trace,
    logs,
    step: status === 'failed' ? 'connect' : undefined,
    error: status === 'failed' ? 'connect returned NSAPI_ERROR_NO_CONNECTION (-3004)' : undefined,
    costs: {
      ...base.costs,
      mcuTlsHeapPeakBytes: 41_234,
      uartBytes: { tx: 1_200, rx: 3_400 },
      airBytes: { ...base.costs.airBytes, up: 5_600, down: 7_800 },
      handshakes: { full: 1, resumed: 1 },
    },
    ...extra,
  };
}

/** An earlier, failed attempt whose folder was kept aside. */
export function failedAttempt(result: RunResult, attempt: number): Attempt {
  const dir = `${result.dir}.attempt-${attempt}`;
  mkdirSync(dir, { recursive: true });
  const logs = { mcu: join(dir, 'mcu.log'), modem: join(dir, 'modem.log'), trace: join(dir, 'uart.jsonl') };
  for (const file of Object.values(logs)) writeFileSync(file, '');
  return {
    attempt,
    status: 'failed',
    durationMs: 1000,
    step: 'handshake',
    error: 'timed out <after> 4 s',
    dir,
    logs,
  };
}

export function lastAttempt(result: RunResult, attempt: number): Attempt {
  return {
    attempt,
    status: result.status,
    durationMs: result.durationMs,
    dir: result.dir,
    logs: result.logs,
  };
}
