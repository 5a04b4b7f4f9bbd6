// What a failed run's own files say about why it failed, gathered after release (the logs and the
// trace are closed by then): the scenario's line (the MCU logs it, lab/runner/mcu-process.ts), the
// last Mbed TLS error the TLS wrapper logged, the modem's last error decoded, why an AT exchange ran
// out of time, and the end of mcu.log for JUnit's system-out.
import { existsSync, readFileSync } from 'node:fs';
import { readTrace } from '../../shared/trace/trace-reader.ts';
import { atTimeoutCause } from './at-timeout-cause.ts';
import { messageOf } from './error-message.ts';
import { FAILED_AT } from './failure-where.ts';
import { modemErrorOf, modemErrorText } from './modem-error-text.ts';
import { traceLines } from './trace-lines.ts';

export interface FailureDetails {
  /** the scenario's file:line */
  where?: string;
  /** one sentence each: the Mbed TLS error, the modem's last error, an AT timeout */
  causes: string[];
  /** the last lines of mcu.log */
  mcuLogTail: string[];
}

const TAIL_LINES = 40;
/** "[3.497] [ERR][TLSW]: mbedtls_ssl_handshake() failed: -0x2700 (…): X509 - …" */
const MBEDTLS_FAILED = /\]: (mbedtls_\w+\(\) failed: .*)$/;
/** mcu/cellular/at-handler.ts: "no <what> within the AT timeout" */
const AT_TIMEOUT = /within the AT timeout/;

export function failureDetails(files: { mcuLog: string; tracePath: string }): FailureDetails {
  const log = readLines(files.mcuLog);
  const causes: string[] = [];
  const where = lastMatch(log, new RegExp(`\\]: ${FAILED_AT}(.+)$`));
  const tls = lastMatch(log, MBEDTLS_FAILED);
  if (tls) causes.push(`Mbed TLS: ${tls}`);
  try {
    if (existsSync(files.tracePath)) {
      const trace = readTrace(files.tracePath);
      const lines = traceLines(trace);
      const modem = lastModemError(lines);
      if (modem) causes.push(modem);
      if (log.some((line) => AT_TIMEOUT.test(line))) {
        const cause = atTimeoutCause(lines, trace.header.baud, trace.header.frame);
        if (cause) causes.push(cause);
      }
    }
  } catch (error) {
    causes.push(`(${files.tracePath} could not be read: ${messageOf(error)})`);
  }
  return { ...(where ? { where } : {}), causes, mcuLogTail: log.slice(-TAIL_LINES) };
}

/** The modem's last error line, decoded, with the command it answered and how long before the end. */
function lastModemError(lines: ReturnType<typeof traceLines>): string | undefined {
  for (let i = lines.modemLines.length - 1; i >= 0; i--) {
    const line = lines.modemLines[i];
    const error = modemErrorOf(line.text);
    if (!error) continue;
    const command = lines.commands.filter((c) => c.t <= line.t).at(-1);
    // The driver deletes each credential file before uploading it: "not found" there is routine.
    if (error.code === 405 && command?.text.startsWith('AT+QFDEL')) continue;
    const before = ((lines.endT - line.t) / 1000).toFixed(1);
    return `modem: ${modemErrorText(error)}${command ? ` (after ${command.text})` : ''}, ${before} s before the trace ended`;
  }
  return undefined;
}

function readLines(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0);
}

function lastMatch(lines: string[], pattern: RegExp): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = pattern.exec(lines[i]);
    if (match) return match[1];
  }
  return undefined;
}
