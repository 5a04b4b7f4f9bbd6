// `--uart-faults JSON|FILE`: a UART fault spec given inline or as a JSON file, checked before any run.
import { existsSync, readFileSync } from 'node:fs';
import { parseUartFaultSpec, type UartFaultSpec } from './uart-fault-spec.ts';

/** Throws an Error naming the option (and the bad key) when the spec is not valid. */
export function readUartFaultOption(text: string): UartFaultSpec {
  const inline = text.trimStart().startsWith('{');
  if (!inline && !existsSync(text)) {
    throw new Error(`--uart-faults: "${text}" is neither a JSON object nor a file`);
  }
  let value: unknown;
  try {
    value = JSON.parse(inline ? text : readFileSync(text, 'utf8'));
  } catch (error) {
    throw new Error(
      `--uart-faults: ${inline ? 'not' : `${text} is not`} valid JSON (${(error as Error).message})`,
    );
  }
  return parseUartFaultSpec(value, '--uart-faults');
}
