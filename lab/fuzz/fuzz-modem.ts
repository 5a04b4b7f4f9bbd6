// Feeds seeded AT lines to a simulated BG96 on the mock UART and checks that it stays a BG96: it never
// throws, never logs an internal error, and after the batch (and after every `every` lines) still
// answers a plain `AT` with OK. A line that opens a data phase (QISEND, QFUPL) takes the following lines
// as data, as a real modem would; the check after each batch ends it with the data phase's own timeout.
import { Bg96Modem } from '../../modem/bg96-modem.ts';
import { createLogger } from '../../shared/log.ts';
import { SeededRandom } from '../../shared/seeded-random.ts';
import { openMockPair } from '../../shared/uart/mock-pair.ts';
import { fuzzLine } from './at-line-fuzzer.ts';

export interface FuzzReport {
  lines: number;
  bytes: number;
  /** internal errors the modem logged (a crash caught at its edge) */
  internalErrors: string[];
  /** checkpoints where a plain AT did not get OK in time */
  unanswered: number;
  checkpoints: number;
}

export async function fuzzModem(options: {
  seed: number;
  lines: number;
  every?: number;
}): Promise<FuzzReport> {
  const random = SeededRandom.derive(options.seed, 'at-lines');
  const pair = await openMockPair(`fuzz-${options.seed}`);
  const internalErrors: string[] = [];
  const log = createLogger((line) => {
    if (line.level === 'ERR' && /internal error/.test(line.message)) internalErrors.push(line.message);
  });
  // Short data-phase and upload bounds, so a line that opened one ends it quickly.
  const modem = new Bg96Modem(pair.modem, {
    log,
    sendDataTimeoutMs: 50,
    uploadTimeoutMs: 50,
    connectTimeoutMs: 200,
  });
  let received = '';
  pair.mcu.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
    if (received.length > 65536) received = received.slice(-4096);
  });
  modem.start();
  const report: FuzzReport = { lines: 0, bytes: 0, internalErrors, unanswered: 0, checkpoints: 0 };
  const every = options.every ?? 500;
  try {
    for (let i = 0; i < options.lines; i++) {
      const line = `${fuzzLine(random)}\r`;
      pair.mcu.write(Buffer.from(line, 'latin1'));
      report.lines++;
      report.bytes += line.length;
      if ((i + 1) % every === 0 || i === options.lines - 1) {
        report.checkpoints++;
        if (
          !(await answersAt(
            pair.mcu,
            () => received,
            (text) => (received = text),
          ))
        )
          report.unanswered++;
      }
    }
  } finally {
    await modem.close();
    await pair.close();
  }
  return report;
}

/** Ends any data phase (its timeout), then sends AT until OK comes back (bounded). */
async function answersAt(
  port: NodeJS.WritableStream,
  read: () => string,
  reset: (text: string) => void,
): Promise<boolean> {
  await new Promise((resolve) => setTimeout(resolve, 120));
  for (let attempt = 0; attempt < 5; attempt++) {
    reset('');
    port.write('\rAT\r');
    for (let wait = 0; wait < 40; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (/\r\nOK\r\n$/.test(read())) return true;
    }
  }
  return false;
}
