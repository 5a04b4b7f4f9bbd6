// Checks a scenario's `uart` expectations (plaintext that must or must not cross the UART) on the
// bytes of a finished trace, streamed: a soak run's trace is never held in memory whole.
import { isChunk, openTrace } from '../../shared/trace/trace-reader.ts';
import type { Mode, ScenarioDefinition, ScenarioPki, UartExpectations } from '../scenario/scenario-types.ts';
import type { Lab } from '../servers/lab.ts';
import { StreamSearch } from '../trace/stream-search.ts';
import { messageOf } from './error-message.ts';
import { failedOutcome, type Metrics, type RunOutcome } from './run-outcome.ts';

/** A passed run stays passed only if its closed trace meets the scenario's `uart` expectations. */
export function checkUartTrace(
  tracePath: string,
  run: { scenario: ScenarioDefinition; mode: Mode; lab: Lab },
  metrics: Metrics,
): RunOutcome {
  const step = 'check the UART trace';
  try {
    const expectations = uartExpectations(run.scenario, run.mode, run.lab.pki);
    const failures = checkUartStream(expectations, run.mode, uartBytes(tracePath));
    if (failures.length) return failedOutcome(step, failures.join('; '), metrics);
    return { status: 'passed', metrics };
  } catch (error) {
    return failedOutcome(step, `${tracePath}: ${messageOf(error)}`, metrics);
  }
}

/** Every chunk's bytes in file order, both directions, as the checks have always searched them. */
function* uartBytes(tracePath: string): Generator<Uint8Array> {
  for (const record of openTrace(tracePath)) if (isChunk(record)) yield record.data;
}

export function uartExpectations(
  scenario: ScenarioDefinition,
  mode: Mode,
  pki: ScenarioPki,
): UartExpectations {
  const uart = scenario.uart;
  if (!uart) return {};
  return typeof uart === 'function' ? uart(mode, { pki }) : uart;
}

/** Returns one message per unmet expectation; both directions of the UART count. */
export function checkUart(expectations: UartExpectations, mode: Mode, bytes: Buffer): string[] {
  return checkUartStream(expectations, mode, [bytes]);
}

/** The same on bytes that arrive piece by piece; a text split across pieces still counts. */
export function checkUartStream(
  expectations: UartExpectations,
  mode: Mode,
  pieces: Iterable<Uint8Array>,
): string[] {
  // In the order written: each set's present texts, then its absent ones.
  const checks = [expectations.plaintext, expectations[mode]].flatMap((set) => [
    ...(set?.present ?? []).map((text) => ({ text, present: true })),
    ...(set?.absent ?? []).map((text) => ({ text, present: false })),
  ]);
  const search = new StreamSearch(checks.map((check) => check.text));
  // Reads to the end even when every text has been seen: a damaged line later on is still reported.
  for (const piece of pieces) search.feed(piece);
  const failures: string[] = [];
  checks.forEach(({ text, present }, i) => {
    if (present && !search.has(i))
      failures.push(`expected ${describe(text)} on the UART, but it never crossed`);
    if (!present && search.has(i)) failures.push(`${describe(text)} crossed the UART in clear, but must not`);
  });
  return failures;
}

function describe(text: string): string {
  const first = text.split('\n')[0];
  return JSON.stringify(first.length > 40 ? `${first.slice(0, 40)}…` : first);
}
