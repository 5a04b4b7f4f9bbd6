// Assertions for scenario apps that report Mbed OS return codes by name.
import { nsapiErrorName } from '../../shared/nsapi.ts';

export class ScenarioFailure extends Error {}

/** Fails unless `actual` equals `expected`; messages name nsapi codes ("NSAPI_ERROR_AUTH_FAILURE (-3011)"). */
export function expectCode(what: string, actual: number, expected: number): void {
  if (actual !== expected) {
    throw new ScenarioFailure(
      `${what} returned ${nsapiErrorName(actual)}, expected ${nsapiErrorName(expected)}`,
    );
  }
}

export function expectTrue(what: string, condition: boolean, detail = ''): void {
  if (!condition) throw new ScenarioFailure(`${what}${detail ? `: ${detail}` : ''}`);
}
