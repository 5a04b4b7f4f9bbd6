import type { CommandForm, CommandLine } from './command-line.ts';
import { ParamError } from './params.ts';
import { type AtResponse, cmeError, error } from './response.ts';

export type CommandHandler = (command: CommandLine) => AtResponse | Promise<AtResponse>;

/** The handlers of one command, one per form; a form without a handler answers ERROR. */
export type CommandForms = Partial<Record<CommandForm, CommandHandler>>;

interface Entry {
  readonly forms: CommandForms;
  /** The `+CME ERROR` a ParamError becomes; undefined = plain ERROR. */
  readonly invalidParams?: number;
}

/** Per-family error numbers for a parameter that is missing, malformed or out of range. */
export const INVALID_PARAMS = {
  general: 50,
  tcpip: 552,
  files: 400,
} as const;

/** The dispatch table: command name → its forms (the Renode QuectelModem layout). */
export class CommandTable {
  private readonly entries = new Map<string, Entry>();

  register(name: string, forms: CommandForms, invalidParams?: number): this {
    this.entries.set(name.toUpperCase(), { forms, invalidParams });
    return this;
  }

  has(name: string): boolean {
    return this.entries.has(name.toUpperCase());
  }

  /** Runs the matching handler. Never throws: every failure becomes an error response. */
  async dispatch(command: CommandLine, onUnexpected: (err: unknown) => void): Promise<AtResponse> {
    const entry = this.entries.get(command.name);
    const handler = entry?.forms[command.form];
    if (!entry || !handler) return error();
    try {
      return await handler(command);
    } catch (err) {
      if (err instanceof ParamError) {
        return entry.invalidParams === undefined ? error() : cmeError(entry.invalidParams);
      }
      onUnexpected(err);
      return error();
    }
  }
}
