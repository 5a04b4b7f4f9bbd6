// Checks a scenario's `uart` expectations (plaintext that must or must not cross the UART) on the
// bytes of a finished trace.
import { readTrace } from '../../shared/trace/trace-reader.ts';
import type { Mode, ScenarioDefinition, ScenarioPki, UartExpectations } from '../scenario/scenario-types.ts';
import type { Lab } from '../servers/lab.ts';
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
    const bytes = Buffer.concat(readTrace(tracePath).chunks.map((chunk) => chunk.data));
    const failures = checkUart(uartExpectations(run.scenario, run.mode, run.lab.pki), run.mode, bytes);
    if (failures.length) return failedOutcome(step, failures.join('; '), metrics);
    return { status: 'passed', metrics };
  } catch (error) {
    return failedOutcome(step, `${tracePath}: ${messageOf(error)}`, metrics);
  }
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
  const failures: string[] = [];
  for (const set of [expectations.plaintext, expectations[mode]]) {
    for (const text of set?.present ?? []) {
      if (!bytes.includes(Buffer.from(text)))
        failures.push(`expected ${describe(text)} on the UART, but it never crossed`);
    }
    for (const text of set?.absent ?? []) {
      if (bytes.includes(Buffer.from(text)))
        failures.push(`${describe(text)} crossed the UART in clear, but must not`);
    }
  }
  return failures;
}

function describe(text: string): string {
  const first = text.split('\n')[0];
  return JSON.stringify(first.length > 40 ? `${first.slice(0, 40)}…` : first);
}
