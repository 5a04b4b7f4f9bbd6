import { Params, type RawParam } from './params.ts';

/** The four forms of an AT command: `AT+X=?`, `AT+X?`, `AT+X=<args>`, `AT+X`. */
export type CommandForm = 'test' | 'read' | 'write' | 'exec';

export interface CommandLine {
  /** The line as received, without terminator. */
  readonly text: string;
  /** Upper-case command name: `+QIOPEN`, `E` (ATE0), `I` (ATI), `` (bare AT). */
  readonly name: string;
  readonly form: CommandForm;
  readonly params: Params;
}

/** The line is not an AT command at all: the modem answers plain ERROR. */
export class CommandSyntaxError extends Error {}

const PRINTABLE = /^[\x20-\x7e]*$/;
const EXTENDED_NAME = /^[+$#%&^][A-Za-z][A-Za-z0-9_]*/;
const BASIC = /^(&?[A-Za-z])([0-9]*)$/;

/** Splits `1,"TCP","a,b",,7` into parameters, honouring quotes; empty entries are `undefined`. */
export function splitParams(text: string): (RawParam | undefined)[] {
  const out: (RawParam | undefined)[] = [];
  let i = 0;
  for (;;) {
    while (text[i] === ' ') i++;
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) throw new CommandSyntaxError('unterminated quoted string');
      out.push({ quoted: true, text: text.slice(i + 1, end) });
      i = end + 1;
      while (text[i] === ' ') i++;
      if (i < text.length && text[i] !== ',') throw new CommandSyntaxError('text after a quoted string');
    } else {
      const end = text.indexOf(',', i);
      const token = text.slice(i, end < 0 ? text.length : end).trim();
      if (token.includes('"')) throw new CommandSyntaxError('stray quote');
      out.push(token === '' ? undefined : { quoted: false, text: token });
      i = end < 0 ? text.length : end;
    }
    if (i >= text.length) return out;
    i++; // the comma
  }
}

/**
 * Parses one command line (one command per line; `;` concatenation is not supported). Throws
 * CommandSyntaxError for anything that is not a well-formed AT command.
 */
export function parseCommandLine(text: string): CommandLine {
  if (!PRINTABLE.test(text)) throw new CommandSyntaxError('non-printable bytes in command line');
  const trimmed = text.trim();
  if (!/^AT/i.test(trimmed)) throw new CommandSyntaxError('line does not start with AT');
  const body = trimmed.slice(2);
  if (body === '') return { text, name: '', form: 'exec', params: new Params([]) };

  const ext = EXTENDED_NAME.exec(body);
  if (ext) {
    const name = ext[0].toUpperCase();
    const rest = body.slice(ext[0].length);
    if (rest === '') return { text, name, form: 'exec', params: new Params([]) };
    if (rest === '?') return { text, name, form: 'read', params: new Params([]) };
    if (rest === '=?') return { text, name, form: 'test', params: new Params([]) };
    if (rest.startsWith('='))
      return { text, name, form: 'write', params: new Params(splitParams(rest.slice(1))) };
    throw new CommandSyntaxError(`unexpected text after ${name}`);
  }

  const basic = BASIC.exec(body);
  if (basic) {
    const params = basic[2] === '' ? [] : [{ quoted: false, text: basic[2] }];
    return { text, name: basic[1].toUpperCase(), form: 'exec', params: new Params(params) };
  }
  throw new CommandSyntaxError('not an AT command');
}
