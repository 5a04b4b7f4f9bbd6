// What a command line sent by the MCU says, as far as the analyser needs it: its name, its form, its
// parameters, and whether raw bytes follow it (a data phase) and how many.

export interface AtParam {
  text: string;
  quoted: boolean;
}

export type AtForm = 'basic' | 'exec' | 'read' | 'test' | 'write';

export interface AtCommand {
  /** The line as sent, without its terminator. */
  text: string;
  /** `AT+QISEND` for an extended command; the whole (upper-cased) line for a basic one, e.g. `ATE0`. */
  name: string;
  form: AtForm;
  params: AtParam[];
}

/** How a data phase that the MCU writes ends: after a count of bytes, or at Ctrl-Z (ESC cancels). */
export type TxDataLength = { kind: 'fixed'; length: number } | { kind: 'ctrl-z' };

export interface TxDataCommand {
  via: 'QISEND' | 'QSSLSEND' | 'QFUPL';
  length: TxDataLength;
  /** Socket (connectID / clientID) for the send commands. */
  socketId?: number;
  /** UFS file name for QFUPL. */
  file?: string;
  /** `"ip",port` of a UDP SERVICE send. */
  peer?: string;
}

const EXTENDED = /^AT([+#$%^&][A-Z0-9_]+)(=\?|\?|=)?(.*)$/is;

export function parseAtCommand(text: string): AtCommand | undefined {
  if (!/^AT/i.test(text)) return undefined;
  const match = EXTENDED.exec(text);
  if (!match) return { text, name: text.toUpperCase().slice(0, 12), form: 'basic', params: [] };
  const [, suffix, sign, rest] = match;
  const form: AtForm = sign === '=?' ? 'test' : sign === '?' ? 'read' : sign === '=' ? 'write' : 'exec';
  return { text, name: `AT${suffix.toUpperCase()}`, form, params: form === 'write' ? splitParams(rest) : [] };
}

/** Comma-separated parameters; commas inside double quotes belong to the parameter. */
export function splitParams(text: string): AtParam[] {
  const params: AtParam[] = [];
  let i = 0;
  while (i <= text.length) {
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      const close = end < 0 ? text.length : end;
      params.push({ text: text.slice(i + 1, close), quoted: true });
      const comma = text.indexOf(',', close);
      i = comma < 0 ? text.length + 1 : comma + 1;
    } else {
      const comma = text.indexOf(',', i);
      const end = comma < 0 ? text.length : comma;
      params.push({ text: text.slice(i, end).trim(), quoted: false });
      i = end + 1;
    }
  }
  return params;
}

export function intParam(params: readonly AtParam[], index: number): number | undefined {
  const p = params[index];
  if (!p || p.quoted || !/^\d+$/.test(p.text)) return undefined;
  return Number(p.text);
}

/**
 * The data phase a command opens if the modem answers with its prompt: `AT+QISEND=<id>,<len>` and
 * `AT+QSSLSEND=<id>,<len>` (`> `, then <len> bytes; without <len>, bytes up to Ctrl-Z),
 * `AT+QFUPL="<file>",<size>` (`CONNECT`, then <size> bytes). `AT+QISEND=<id>,0` asks for counters.
 */
export function txDataCommand(command: AtCommand): TxDataCommand | undefined {
  if (command.form !== 'write') return undefined;
  const { params } = command;
  if (command.name === 'AT+QISEND' || command.name === 'AT+QSSLSEND') {
    const socketId = intParam(params, 0);
    const via = command.name === 'AT+QISEND' ? 'QISEND' : 'QSSLSEND';
    if (socketId === undefined) return undefined;
    if (params.length === 1) return { via, socketId, length: { kind: 'ctrl-z' } };
    const length = intParam(params, 1);
    if (length === undefined || length === 0) return undefined;
    const peer = params[2]?.quoted ? `${params[2].text}:${params[3]?.text ?? '?'}` : undefined;
    return { via, socketId, length: { kind: 'fixed', length }, peer };
  }
  if (command.name === 'AT+QFUPL') {
    const size = intParam(params, 1);
    if (!params[0]?.quoted || size === undefined || size === 0) return undefined;
    return { via: 'QFUPL', file: params[0].text, length: { kind: 'fixed', length: size } };
  }
  return undefined;
}
