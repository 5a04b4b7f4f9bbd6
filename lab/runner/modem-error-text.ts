// What a modem error line in a trace means: `+CME ERROR: <n>` and the error field of `+QIOPEN:` /
// `+QSSLOPEN:` URCs, in the words of Quectel's BG96 manuals (modem/at/cme-errors.ts: FILE manual 4xx,
// TCP/IP manual chapter 4 for 55x–57x), with what tlssim's modem means by each +QSSLOPEN code
// (docs/deviations.md, "Modem": "+QSSLOPEN error codes").
import { CME_TEXT } from '../../modem/at/cme-errors.ts';

/** docs/deviations.md, "+QSSLOPEN error codes": Quectel documents the family, not the mapping. */
const QSSLOPEN_CAUSE: ReadonlyMap<number, string> = new Map([
  [572, "the modem refused the server's certificate (untrusted chain, dates, RSA < 2048 or SHA-1, hostname)"],
  [567, 'the server aborted the handshake (e.g. a refused or missing client certificate)'],
  [555, 'no common TLS version or cipher suite'],
  [552, 'a credential file missing, unreadable or mismatched (or a bad address)'],
  [566, 'TCP connect refused'],
  [569, 'timeout (negotiatetime covers connect and handshake)'],
  [565, 'DNS failed'],
  [551, 'address blocked (tlssim connects to loopback only)'],
]);

/** The modem error a line reports, or undefined: `+CME ERROR: 405`, `+QSSLOPEN: 1,566`, `+QIOPEN: 0,566`. */
export function modemErrorOf(line: string): { line: string; code: number } | undefined {
  const cme = /^\+CME ERROR: (\d+)$/.exec(line);
  if (cme) return { line, code: Number(cme[1]) };
  const open = /^\+(?:QIOPEN|QSSLOPEN): \d+,(\d+)$/.exec(line);
  if (open && Number(open[1]) !== 0) return { line, code: Number(open[1]) };
  return undefined;
}

/** "+QSSLOPEN: 1,566 = Socket connect failed: TCP connect refused" */
export function modemErrorText(error: { line: string; code: number }): string {
  const manual = CME_TEXT.get(error.code) ?? 'not in the BG96 manuals';
  const cause = error.line.startsWith('+QSSLOPEN') ? QSSLOPEN_CAUSE.get(error.code) : undefined;
  return `${error.line} = ${manual}${cause ? `: ${cause}` : ''}`;
}
