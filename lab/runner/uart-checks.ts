// Checks a scenario's `uart` expectations (plaintext that must or must not cross the UART) on the
// bytes of a finished trace.
import type { Mode, ScenarioDefinition, ScenarioPki, UartExpectations } from '../scenario/scenario-types.ts';

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
