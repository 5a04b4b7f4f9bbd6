import { Bg96Modem, type ModemOptions } from '../../../modem/index.ts';
import { createLogger } from '../../../shared/log.ts';
import { openMockPair } from '../../../shared/uart/mock-pair.ts';
import { AtTestClient } from './at-client.ts';

export interface ModemHarness {
  readonly modem: Bg96Modem;
  readonly at: AtTestClient;
  readonly log: string[];
  close(): Promise<void>;
}

/**
 * A started modem on the mock UART pair, with the MCU end wrapped in an AtTestClient. `RDY` has been
 * consumed; with `prepared` the usual driver init (ATE0, CMEE=1, PDP context 1 active) has run too.
 */
export async function startModem(options: ModemOptions = {}, prepared = false): Promise<ModemHarness> {
  const pair = await openMockPair('modem-test');
  const log: string[] = [];
  const modem = new Bg96Modem(pair.modem, {
    log: createLogger((line) => log.push(line.message)),
    ...options,
  });
  const at = new AtTestClient(pair.mcu);
  modem.start();
  await at.until('\r\nRDY\r\n');
  if (prepared) {
    await at.command('ATE0');
    await at.command('AT+CMEE=1');
    await at.command('AT+QIACT=1');
  }
  return {
    modem,
    at,
    log,
    async close() {
      await modem.close();
      await pair.close();
    },
  };
}

/** Waits until the modem log has a line containing `text` (the modem's own view of host events). */
export async function waitForLog(harness: ModemHarness, text: string, timeoutMs = 3000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = harness.log.find((entry) => entry.includes(text));
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`modem never logged ${JSON.stringify(text)}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
