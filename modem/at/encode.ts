import { cmeText } from './cme-errors.ts';
import type { AtResponse, ResponseLine } from './response.ts';

/** V.25ter framing: every line is wrapped as `\r\n<line>\r\n`; consecutive info lines share one CRLF. */
const CRLF = '\r\n';

/** How `+CME ERROR` is reported: AT+CMEE=0 plain ERROR, 1 numeric, 2 verbose text. */
export type CmeeMode = 0 | 1 | 2;

export function encodeLines(lines: readonly ResponseLine[]): Buffer {
  if (lines.length === 0) return Buffer.alloc(0);
  const parts: Buffer[] = [Buffer.from(CRLF)];
  lines.forEach((line, i) => {
    if (i > 0) parts.push(Buffer.from(CRLF));
    parts.push(typeof line === 'string' ? Buffer.from(line, 'latin1') : Buffer.from(line));
  });
  parts.push(Buffer.from(CRLF));
  return Buffer.concat(parts);
}

function finalLine(text: string): Buffer {
  return Buffer.from(`${CRLF}${text}${CRLF}`, 'latin1');
}

export function cmeLine(code: number, cmee: CmeeMode): string {
  if (cmee === 0) return 'ERROR';
  return `+CME ERROR: ${cmee === 2 ? cmeText(code) : code}`;
}

/** Bytes for a final response. A data phase has no final bytes here: the engine writes its prompt. */
export function encodeResponse(response: AtResponse, cmee: CmeeMode): Buffer {
  switch (response.kind) {
    case 'ok':
      return Buffer.concat([encodeLines(response.lines), finalLine('OK')]);
    case 'final':
      return Buffer.concat([encodeLines(response.lines), finalLine(response.result)]);
    case 'error':
      return finalLine('ERROR');
    case 'cme':
      return finalLine(cmeLine(response.code, cmee));
    case 'data':
      return Buffer.from(response.phase.prompt, 'latin1');
  }
}
