// What a line from the modem is, judged from its text and the command still waiting for an answer.

export type FinalResult = 'ok' | 'error';

/** The lines that end a command's response (BG96: OK, ERROR, +CME ERROR, and SEND OK/FAIL after data). */
export function finalResultOf(text: string): FinalResult | undefined {
  if (text === 'OK' || text === 'SEND OK') return 'ok';
  if (text === 'ERROR' || text === 'SEND FAIL' || text === 'NO CARRIER') return 'error';
  if (/^\+CM[ES] ERROR:/.test(text)) return 'error';
  return undefined;
}

/** `+QIRD:` → `AT+QIRD`: which command an information line answers. */
export function infoCommandName(text: string): string | undefined {
  const match = /^(\+[A-Z0-9_]+):/i.exec(text);
  return match ? `AT${match[1].toUpperCase()}` : undefined;
}

/** Lines that are unsolicited whatever command is running. */
const ALWAYS_URC = new Set(['AT+QIURC', 'AT+QSSLURC', 'AT+QIOPEN', 'AT+QSSLOPEN', 'AT+QIND', 'AT+QUSIM']);
const WORD_URCS = new Set(['RDY', 'APP RDY', 'POWERED DOWN', 'NORMAL POWER DOWN']);

/** `+QIURC: "recv",0` → `+QIURC "recv"`; `RDY` → `RDY`: how URCs are counted. */
export function urcName(text: string): string | undefined {
  if (WORD_URCS.has(text)) return text;
  const name = infoCommandName(text);
  if (!name) return undefined;
  const kind = /^\+[A-Z0-9_]+:\s*"([^"]*)"/i.exec(text)?.[1];
  return kind === undefined ? name.slice(2) : `${name.slice(2)} "${kind}"`;
}

/** Whether a `+NAME:` line is a URC rather than information for the command `pending`. */
export function isUnsolicited(text: string, pending: string | undefined): boolean {
  if (WORD_URCS.has(text)) return true;
  const name = infoCommandName(text);
  if (!name) return false;
  return ALWAYS_URC.has(name) || name !== pending;
}

/** Raw bytes that follow a modem line: a QIRD/QSSLRECV answer, or a direct-push `recv` URC. */
export interface RxPayloadHeader {
  via: 'QIRD' | 'QSSLRECV' | 'QIURC' | 'QSSLURC';
  length: number;
  /** Known from the line itself only for push URCs; for reads it is the pending command's. */
  socketId?: number;
  /** `"ip",port` of a UDP SERVICE datagram. */
  peer?: string;
}

export function rxPayloadHeader(text: string): RxPayloadHeader | undefined {
  let m = /^\+QIRD: (\d+)(?:,"([^"]*)",(\d+))?$/.exec(text);
  if (m)
    return { via: 'QIRD', length: Number(m[1]), peer: m[2] === undefined ? undefined : `${m[2]}:${m[3]}` };
  m = /^\+QSSLRECV: (\d+)$/.exec(text);
  if (m) return { via: 'QSSLRECV', length: Number(m[1]) };
  m = /^\+(QIURC|QSSLURC): "recv",(\d+),(\d+)(?:,"([^"]*)",(\d+))?$/.exec(text);
  if (m) {
    return {
      via: m[1] as 'QIURC' | 'QSSLURC',
      socketId: Number(m[2]),
      length: Number(m[3]),
      peer: m[4] === undefined ? undefined : `${m[4]}:${m[5]}`,
    };
  }
  return undefined;
}
