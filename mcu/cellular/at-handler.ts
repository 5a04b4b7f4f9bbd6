// ATHandler: one AT command at a time over the UART, unsolicited result codes dispatched whenever they
// arrive (inside another command's response or while idle), per-command timeouts, data prompts and
// length-prefixed binary reads. Mirrors Mbed OS's ATHandler (mbed-os
// connectivity/cellular/source/framework/device/ATHandler.cpp) with async waits: `run` is its
// lock()/unlock() pair, and at_cmd_discard / at_cmd_int / at_cmd_str are its one-call helpers.
//
// Nothing the modem sends is trusted to be well formed: lines are bounded (at-input.ts), a
// length-prefixed payload must be followed by exactly the framing the BG96 sends after it, and a
// response that breaks its framing is consumed to its final result code before the exchange fails, so
// the next command starts on a clean channel (docs/deviations.md, "ATHandler").

import type { Duplex } from 'node:stream';
import { type Clock, deviceClock } from '../../shared/clock.ts';
import { debugEnabled, log } from '../../shared/log.ts';
import { NSAPI_ERROR_OK } from '../../shared/nsapi.ts';
import { AtError } from './at-error.ts';
import { AT_MAX_LINE, AtInput, type InputItem, type Want } from './at-input.ts';
import { atInt, params } from './at-params.ts';

export const AT_DEFAULT_TIMEOUT_MS = 1000;

export type UrcHandler = (line: string) => void;

/** A one-command answer at the lock's edge: the value, or the nsapi code the failure maps to. */
export type AtValue<T> = { ok: true; value: T } | { ok: false; error: number };

interface Reader {
  want: Want;
  deadline: number;
  resolve: (item: InputItem) => void;
  reject: (error: AtError) => void;
  timer: unknown;
}

export interface AtHandlerOptions {
  /** Default response timeout, measured from the start of each command (Mbed OS: 1 s). */
  timeoutMs?: number;
  /** the clock response timeouts go through (real time by default) */
  clock?: Clock;
}

export class ATHandler {
  private readonly input = new AtInput();
  private readonly urcs: Array<{ prefix: string; handler: UrcHandler }> = [];
  private reader: Reader | null = null;
  private session: ATCommand | null = null;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  readonly defaultTimeoutMs: number;
  readonly clock: Clock;
  private readonly log = log.child('at', 'AT');

  constructor(
    private readonly port: Duplex,
    options: AtHandlerOptions = {},
  ) {
    this.defaultTimeoutMs = options.timeoutMs ?? AT_DEFAULT_TIMEOUT_MS;
    this.clock = options.clock ?? deviceClock;
    port.on('data', this.onData);
    port.on('close', this.onClose);
  }

  private readonly onData = (chunk: Buffer) => {
    this.input.push(chunk);
    this.pump();
  };

  private readonly onClose = () => this.shutdown();

  /**
   * The MCU restarts: this handler's RAM is gone. It stops listening to the UART (which stays open for
   * the next handler) and every exchange waiting on it fails as on a closed UART.
   */
  release(): void {
    this.port.off('data', this.onData);
    this.port.off('close', this.onClose);
    this.input.clear();
    this.shutdown();
  }

  /** Registers a URC by line prefix, e.g. `+QIURC: "recv`; the handler gets the whole line. */
  setUrcHandler(prefix: string, handler: UrcHandler): void {
    // One handler per prefix (Mbed OS refuses a duplicate): a newer registration replaces the old one.
    const existing = this.urcs.find((u) => u.prefix === prefix);
    if (existing) existing.handler = handler;
    else this.urcs.push({ prefix, handler });
  }

  /**
   * Runs one command exchange with the channel locked. The callback's AtError (timeout, ERROR, +CME
   * ERROR) is returned as a value so callers can map it to an nsapi code.
   */
  async run<T>(
    exchange: (cmd: ATCommand) => Promise<T>,
    timeoutMs = this.defaultTimeoutMs,
  ): Promise<T | AtError> {
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise((r) => {
      release = r;
    });
    await previous;
    // What arrived after the previous response (URCs, a broken response's leftovers) is handled as idle
    // input before this command owns the channel, as ATHandler::unlock() runs process_oob before the
    // next lock(): a stray line must never answer this command.
    this.pump();
    const cmd = new ATCommand(this, timeoutMs);
    this.session = cmd;
    try {
      if (this.closed) return new AtError('closed', 'UART is closed');
      return await exchange(cmd);
    } catch (error) {
      if (error instanceof AtError) {
        this.log.warn(`AT error: ${error.message}`);
        if (error.failure === 'timeout') this.input.clear(); // stale bytes must not answer the next command
        return error;
      }
      throw error;
    } finally {
      this.session = null;
      release();
      // Idle again: URCs that arrived while the command held the channel are dispatched now.
      setImmediate(() => this.pump());
    }
  }

  /** ATHandler::at_cmd_discard: `AT<cmd><args>` answered by OK; NSAPI_ERROR_OK or the failure's code. */
  async at_cmd_discard(cmd: string, args = '', timeoutMs = this.defaultTimeoutMs): Promise<number> {
    const result = await this.run((c) => c.at_cmd_discard(cmd, args), timeoutMs);
    return result instanceof AtError ? result.nsapiError : NSAPI_ERROR_OK;
  }

  /** ATHandler::at_cmd_int: the first parameter of the `<cmd>:` line, a strict integer. */
  at_cmd_int(cmd: string, args = '', timeoutMs = this.defaultTimeoutMs): Promise<AtValue<number>> {
    return this.value((c) => c.at_cmd_int(cmd, args), timeoutMs);
  }

  /** ATHandler::at_cmd_str: the text of the `<cmd>:` line after its prefix (all its parameters). */
  at_cmd_str(cmd: string, args = '', timeoutMs = this.defaultTimeoutMs): Promise<AtValue<string>> {
    return this.value((c) => c.at_cmd_str(cmd, args), timeoutMs);
  }

  /** Every `<cmd>:` line's text, for commands that answer with a list (AT+QIACT? has one per context). */
  at_cmd_lines(cmd: string, args = '', timeoutMs = this.defaultTimeoutMs): Promise<AtValue<string[]>> {
    return this.value((c) => c.at_cmd_lines(cmd, args), timeoutMs);
  }

  private async value<T>(exchange: (cmd: ATCommand) => Promise<T>, timeoutMs: number): Promise<AtValue<T>> {
    const result = await this.run(exchange, timeoutMs);
    return result instanceof AtError ? { ok: false, error: result.nsapiError } : { ok: true, value: result };
  }

  /** @internal bytes buffered and not yet parsed (tests assert the line bound with it) */
  get bufferedBytes(): number {
    return this.input.size;
  }

  /** Drops buffered input while no command runs (stale replies after a modem came up late). */
  flushInput(): void {
    if (!this.session) this.input.clear();
  }

  /** @internal */
  write(data: string | Uint8Array): void {
    if (this.closed) return;
    // Formatting only when someone asked for the channel (TLSSIM_DEBUG=at): this runs per command.
    if (debugEnabled('at')) {
      this.log.debug(
        typeof data === 'string' ? `-> ${data.replace(/\r$/, '')}` : `-> ${data.length} data bytes`,
      );
    }
    this.port.write(data);
  }

  /** @internal Waits for the next input item of the wanted kind, up to the deadline. */
  next(want: Want, deadline: number): Promise<InputItem> {
    if (this.closed) return Promise.reject(new AtError('closed', 'UART is closed'));
    return new Promise((resolve, reject) => {
      const wait = Math.max(0, deadline - this.clock.now());
      const timer = this.clock.setTimeout(() => {
        this.reader = null;
        reject(new AtError('timeout', `no ${describe(want)} within the AT timeout`));
      }, wait);
      this.reader = { want, deadline, resolve, reject, timer };
      this.pump();
    });
  }

  private pump(): void {
    for (;;) {
      const reader = this.reader;
      if (!reader && this.session) return; // a command owns the input; it reads when it is ready
      const item = this.input.take(reader ? reader.want : { kind: 'line' });
      if (this.input.takeOverflows() > 0) {
        this.log.warn(`dropping a line longer than ${AT_MAX_LINE} bytes up to its line end`);
      }
      if (!item) return;
      // A line that answers the running command is its response, even when a URC shares its prefix
      // (+CEREG: is both): Mbed's ATHandler::resp matches the response prefix before the URCs.
      if (item.kind === 'line' && !this.session?.answers(item.text) && this.dispatchUrc(item.text)) continue;
      if (!reader) {
        if (item.kind === 'line') this.log.warn(`discarded idle line: ${JSON.stringify(item.text)}`);
        continue;
      }
      if (item.kind === 'line' && this.session?.isEcho(item.text)) continue;
      if (debugEnabled('at')) this.log.debug(`<- ${describeItem(item)}`);
      this.reader = null;
      this.clock.clearTimeout(reader.timer);
      reader.resolve(item);
    }
  }

  private dispatchUrc(line: string): boolean {
    const urc = this.urcs.find((u) => line.startsWith(u.prefix));
    if (!urc) return false;
    if (debugEnabled('at')) this.log.debug(`<- ${line} (URC)`);
    try {
      urc.handler(line);
    } catch (error) {
      this.log.warn(`URC handler for ${JSON.stringify(line)} failed: ${(error as Error).message}`);
    }
    return true;
  }

  private shutdown(): void {
    this.closed = true;
    const reader = this.reader;
    this.reader = null;
    if (reader) {
      this.clock.clearTimeout(reader.timer);
      reader.reject(new AtError('closed', 'UART closed'));
    }
  }
}

function describe(want: Want): string {
  if (want.kind === 'bytes') return `${want.count} data bytes`;
  if (want.kind === 'framing') return 'end of the data';
  return want.kind === 'line' ? 'response' : 'data prompt';
}

function describeItem(item: InputItem): string {
  if (item.kind === 'line') return item.text;
  if (item.kind === 'framing') return item.matched ? 'end of the data' : 'broken framing';
  return item.kind === 'prompt' ? '>' : `${item.data.length} data bytes`;
}

const CME_ERROR = /^\+CM[ES] ERROR: ?(\d+)/;

/**
 * What follows a length-prefixed payload on the BG96 (Quectel BG96 TCP/IP AT Commands Manual, AT+QIRD;
 * SSL manual, AT+QSSLRECV): the payload's own line end, then the `\r\n` that opens the next line (OK, or
 * a URC the modem slipped in before it).
 */
const PAYLOAD_END = Buffer.from('\r\n\r\n');

/** A final result code: where a response that broke its framing is known to end. */
function isFinalResult(text: string): boolean {
  return (
    text === 'OK' || text === 'ERROR' || text.startsWith('+CME ERROR:') || text.startsWith('+CMS ERROR:')
  );
}

/** One locked command exchange. */
export class ATCommand {
  private deadline: number;
  private lastCommand = '';

  constructor(
    private readonly at: ATHandler,
    timeoutMs: number,
  ) {
    this.deadline = at.clock.now() + timeoutMs;
  }

  /** Restarts the response timer, as drivers do for long waits (150 s for +QIOPEN, 20 s for close). */
  setTimeout(ms: number): void {
    this.deadline = this.at.clock.now() + ms;
  }

  /** Sends `AT<body>\r`, e.g. body `+QIRD=0,1500`. */
  send(body: string): void {
    this.lastCommand = `AT${body}`;
    this.at.write(`AT${body}\r`);
  }

  writeBytes(data: Uint8Array): void {
    this.at.write(data);
  }

  /** @internal the line carries this command's own response prefix (`AT+CEREG?` → `+CEREG:`) */
  answers(line: string): boolean {
    const name = /^AT(\+[A-Z0-9]+)/i.exec(this.lastCommand)?.[1];
    return name !== undefined && line.startsWith(`${name}:`);
  }

  /** @internal an echoed command (echo left on) is not a response */
  isEcho(line: string): boolean {
    return this.lastCommand !== '' && line === this.lastCommand;
  }

  /** The next response line that is not a URC; ERROR and +CME ERROR become AtErrors. */
  async line(): Promise<string> {
    const item = await this.at.next({ kind: 'line' }, this.deadline);
    return checkLine((item as { text: string }).text);
  }

  /** Reads until OK, returning the lines before it. */
  async ok(): Promise<string[]> {
    const lines: string[] = [];
    for (;;) {
      const text = await this.line();
      if (text === 'OK') return lines;
      lines.push(text);
    }
  }

  /** Reads until a line with this prefix and returns what follows it (one space skipped). */
  async info(prefix: string): Promise<string> {
    for (;;) {
      const text = await this.line();
      if (text.startsWith(prefix)) return text.slice(prefix.length).replace(/^ /, '');
      if (text === 'OK') throw new AtError('error', `expected ${prefix} before OK`);
    }
  }

  /** Waits for the `> ` data prompt (or, for file upload, a CONNECT line: pass 'CONNECT'). */
  async prompt(connectLine?: string): Promise<void> {
    for (;;) {
      const item = await this.at.next(
        connectLine ? { kind: 'line' } : { kind: 'prompt-or-line' },
        this.deadline,
      );
      if (item.kind === 'prompt') return;
      if (item.kind === 'line') {
        // Other lines (an info line of no interest) are passed over; errors end the wait.
        const text = checkLine(item.text);
        if (connectLine && text.startsWith(connectLine)) return;
      }
    }
  }

  /** ATHandler::at_cmd_discard within this exchange: sends `AT<cmd><args>`, reads to OK. */
  async at_cmd_discard(cmd: string, args = ''): Promise<void> {
    this.send(cmd + args);
    await this.ok();
  }

  /** ATHandler::at_cmd_int within this exchange: the first parameter of the `<cmd>:` line. */
  async at_cmd_int(cmd: string, args = ''): Promise<number> {
    const text = await this.at_cmd_str(cmd, args);
    return atInt(params(text)[0], `the ${cmd} value`);
  }

  /** ATHandler::at_cmd_str within this exchange: the `<cmd>:` line's text after the prefix, then OK. */
  async at_cmd_str(cmd: string, args = ''): Promise<string> {
    this.send(cmd + args);
    const text = await this.info(`${cmd}:`);
    await this.ok();
    return text;
  }

  /** Every `<cmd>:` line's text up to OK (a list answer such as AT+QIACT?). */
  async at_cmd_lines(cmd: string, args = ''): Promise<string[]> {
    this.send(cmd + args);
    const prefix = `${cmd}:`;
    const lines = await this.ok();
    return lines
      .filter((line) => line.startsWith(prefix))
      .map((line) => line.slice(prefix.length).replace(/^ /, ''));
  }

  /** Exactly `count` raw bytes, whatever they contain. */
  async bytes(count: number): Promise<Buffer> {
    if (count === 0) return Buffer.alloc(0);
    const item = await this.at.next({ kind: 'bytes', count }, this.deadline);
    return (item as { data: Buffer }).data;
  }

  /**
   * The rest of a length-prefixed response once its `<prefix>: <n>` line is read: exactly `count` bytes,
   * then `\r\n\r\n`, then OK (URCs before the OK are dispatched). Anything else means the length did not
   * describe the data (too long: the framing was taken as data; too short: data is left over), so the
   * bytes are not returned: the response is consumed to its final result code and the exchange fails.
   * Upstream reads the bytes and lets resp_stop() skip whatever precedes "OK\r\n" (ATHandler::read_bytes,
   * consume_to_stop_tag).
   */
  async payload(count: number): Promise<Buffer> {
    const data = await this.bytes(count);
    if (count > 0) {
      const end = await this.at.next({ kind: 'framing', expected: PAYLOAD_END }, this.deadline);
      if (end.kind === 'framing' && !end.matched) {
        return this.refuse(`the modem's ${count}-byte payload is not followed by its line end`);
      }
    }
    const final = await this.line();
    if (final !== 'OK') {
      return this.refuse(`expected OK after the ${count}-byte payload, got ${JSON.stringify(final)}`);
    }
    return data;
  }

  /**
   * Fails the exchange on a response that cannot be trusted: first consumes it up to its final result
   * code (URCs on the way are still dispatched), so its leftovers cannot answer the next command; a
   * response that never ends runs into the timeout, which discards what is buffered.
   */
  async refuse(reason: string): Promise<never> {
    for (;;) {
      const item = await this.at.next({ kind: 'line' }, this.deadline);
      if (item.kind === 'line' && isFinalResult(item.text)) break;
    }
    throw new AtError('framing', reason);
  }
}

function checkLine(text: string): string {
  if (text === 'ERROR') throw new AtError('error', 'modem answered ERROR');
  const cme = CME_ERROR.exec(text);
  if (cme) throw new AtError('cme', `modem answered ${text}`, Number(cme[1]));
  if (text.startsWith('+CME ERROR:') || text.startsWith('+CMS ERROR:')) {
    // CMEE=2 text form: no number to keep.
    throw new AtError('cme', `modem answered ${text}`);
  }
  return text;
}
