// Reading the parameters of an AT response line, as Mbed OS's ATHandler::read_string / read_int do
// (mbed-os connectivity/cellular/source/framework/device/ATHandler.cpp).
import { AtError } from './at-error.ts';

/** "1,2" → ["1", "2"]; quoted strings come back without quotes. */
export function params(text: string): string[] {
  return (text.match(/"[^"]*"|[^,]+/g) ?? []).map((p) => p.trim().replace(/^"|"$/g, ''));
}

/**
 * A length or counter from a response: decimal digits only (ATHandler::read_int reads digits), else
 * the exchange fails with a device error rather than letting NaN reach the application.
 */
export function atInt(text: string | undefined, what: string): number {
  if (text === undefined || !/^\d{1,9}$/.test(text)) {
    throw new AtError('error', `modem sent ${JSON.stringify(text ?? '')} where ${what} should be`);
  }
  return Number(text);
}
