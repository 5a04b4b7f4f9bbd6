import type { Duplex } from 'node:stream';
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/log.ts';
import { CommandSyntaxError, parseCommandLine } from './command-line.ts';
import type { CommandTable } from './command-table.ts';
import { type CollectorOutcome, DataCollector } from './data-collector.ts';
import { type CmeeMode, encodeLines, encodeResponse } from './encode.ts';
import { LineAssembler, type LineEvent } from './line-assembler.ts';
import { type AtResponse, type DataPhase, error, type ResponseLine } from './response.ts';

/** What the engine asks the modem state before each response (ATE and AT+CMEE change them). */
export interface EngineSettings {
  readonly echo: boolean;
  readonly cmee: CmeeMode;
}

export interface AtEngineOptions {
  readonly port: Duplex;
  readonly table: CommandTable;
  readonly settings: () => EngineSettings;
  readonly clock: Clock;
  /** the modem's logger: command lines and responses go to its `at` channel */
  readonly log: Logger;
  /** Longer command lines are answered with ERROR (their bytes are discarded up to the terminator). */
  readonly maxLineLength: number;
}

const LF = 0x0a;

type Mode =
  /** Waiting for (or assembling) a command line. */
  | { readonly kind: 'idle' }
  /** A command is executing; input waits in the inbox. */
  | { readonly kind: 'busy' }
  | { readonly kind: 'data'; readonly phase: DataPhase; readonly collector: DataCollector; timer: unknown };

/**
 * The framing layer: assembles lines (echoing them per ATE), runs one command at a time through the
 * command table, runs data phases, and writes URCs only between responses — never inside a response
 * or a data phase. Input that arrives while a command runs waits in the inbox, in order.
 */
export class AtEngine {
  private readonly lines: LineAssembler;
  private inbox: Buffer[] = [];
  private mode: Mode = { kind: 'idle' };
  private readonly urcs: Buffer[] = [];
  private closed = false;
  private readonly onData = (chunk: Buffer | string) => this.receive(chunk);
  private readonly onError = (err: Error) => this.options.log.error(`uart error: ${err.message}`);

  constructor(private readonly options: AtEngineOptions) {
    this.lines = new LineAssembler(options.maxLineLength);
  }

  start(): void {
    this.options.port.on('data', this.onData);
    this.options.port.on('error', this.onError);
  }

  /** Queues an unsolicited result; it goes out as soon as no response or data phase is in progress. */
  urc(...lines: ResponseLine[]): void {
    if (this.closed) return;
    const first = lines[0];
    this.options.log.info(`urc ${typeof first === 'string' ? first : '<data>'}`);
    this.urcs.push(encodeLines(lines));
    if (this.mode.kind === 'idle') this.flushUrcs();
  }

  /** Drops pending input, a partial line and an open data phase (modem reset). */
  reset(): void {
    this.inbox = [];
    this.lines.clear();
    if (this.mode.kind === 'data') this.options.clock.clearTimeout(this.mode.timer);
    this.mode = { kind: 'idle' };
  }

  close(): void {
    this.closed = true;
    this.reset();
    this.urcs.length = 0;
    this.options.port.off('data', this.onData);
    this.options.port.off('error', this.onError);
  }

  private receive(chunk: Buffer | string): void {
    // Whatever arrives, no exception may leave the port's 'data' handler.
    try {
      if (this.closed) return;
      this.inbox.push(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
      this.pump();
    } catch (err) {
      this.options.log.error(`internal error on input: ${String(err)}`);
    }
  }

  /** Moves inbox bytes into the line assembler or the open data phase until a command starts. */
  private pump(): void {
    const echo: Buffer[] = [];
    while (this.inbox.length > 0 && this.mode.kind !== 'busy') {
      const chunk = this.inbox[0];
      let consumed: number;
      if (this.mode.kind === 'data') consumed = this.feedData(chunk, this.mode);
      else consumed = this.feedLine(chunk, echo);
      if (consumed >= chunk.length) this.inbox.shift();
      else this.inbox[0] = chunk.subarray(consumed);
    }
    if (echo.length > 0) this.write(Buffer.concat(echo));
  }

  private feedLine(chunk: Buffer, echo: Buffer[]): number {
    for (let i = 0; i < chunk.length; i++) {
      const event = this.lines.push(chunk[i]);
      if (event === undefined) continue;
      if (this.options.settings().echo) echo.push(chunk.subarray(0, i + 1));
      this.mode = { kind: 'busy' };
      // The echo must precede the response, which may be written synchronously below.
      this.write(Buffer.concat(echo.splice(0)));
      void this.execute(event);
      return i + 1;
    }
    if (this.options.settings().echo) echo.push(chunk);
    return chunk.length;
  }

  private async execute(event: LineEvent): Promise<void> {
    // Always finish asynchronously, so pump() is never re-entered from inside its own loop.
    await null;
    if (event.kind === 'overflow') {
      this.options.log.info('< (line too long)');
      this.finish(error());
      return;
    }
    this.options.log.info(`< ${event.text}`);
    let response: AtResponse;
    try {
      const command = parseCommandLine(event.text);
      response = await this.options.table.dispatch(command, (err) =>
        this.options.log.error(`internal error in ${command.name}: ${String(err)}`),
      );
    } catch (err) {
      if (!(err instanceof CommandSyntaxError)) this.options.log.error(`internal error: ${String(err)}`);
      response = error();
    }
    this.finish(response);
  }

  private finish(response: AtResponse): void {
    if (this.closed) return;
    const bytes = encodeResponse(response, this.options.settings().cmee);
    this.options.log.info(`> ${describe(response, bytes)}`);
    if (response.kind === 'data') {
      this.startDataPhase(response.phase);
      this.write(bytes);
    } else {
      this.write(bytes);
      this.mode = { kind: 'idle' };
      this.flushUrcs();
    }
    this.pump();
  }

  private startDataPhase(phase: DataPhase): void {
    // The `\n` of a `\r\n`-terminated command arrived before the prompt, so it is not payload.
    const next = this.inbox[0];
    if (this.lines.afterCr && next && next[0] === LF) {
      if (next.length === 1) this.inbox.shift();
      else this.inbox[0] = next.subarray(1);
    }
    const collector = new DataCollector(phase, () => this.write(Buffer.from('A')));
    const mode: Mode = { kind: 'data', phase, collector, timer: undefined };
    this.mode = mode;
    this.armDataTimer(mode);
  }

  private armDataTimer(mode: Extract<Mode, { kind: 'data' }>): void {
    const { clock } = this.options;
    if (mode.timer !== undefined) clock.clearTimeout(mode.timer);
    mode.timer = clock.setTimeout(() => {
      if (this.mode !== mode) return;
      this.options.log.info(`data phase timed out after ${mode.collector.received} bytes`);
      this.mode = { kind: 'busy' };
      this.safeFinish(() => mode.phase.timedOut(mode.collector.received));
    }, mode.phase.idleTimeoutMs);
  }

  private feedData(chunk: Buffer, mode: Extract<Mode, { kind: 'data' }>): number {
    const { consumed, outcome } = mode.collector.feed(chunk);
    if (!outcome) {
      this.armDataTimer(mode);
      return consumed;
    }
    this.options.clock.clearTimeout(mode.timer);
    this.mode = { kind: 'busy' };
    this.options.log.info(
      `< (${outcome.kind === 'complete' ? `${outcome.data.length} data bytes` : outcome.kind})`,
    );
    this.safeFinish(() => this.phaseResult(mode.phase, outcome));
    return consumed;
  }

  private phaseResult(phase: DataPhase, outcome: CollectorOutcome): AtResponse | Promise<AtResponse> {
    switch (outcome.kind) {
      case 'complete':
        return phase.complete(outcome.data);
      case 'cancelled':
        return phase.cancelled ? phase.cancelled() : error();
      case 'overflowed':
        return phase.overflowed ? phase.overflowed() : error();
    }
  }

  /** Runs a data-phase callback; whatever it does (throw, reject), the modem answers and goes on. */
  private safeFinish(produce: () => AtResponse | Promise<AtResponse>): void {
    let pending: Promise<AtResponse>;
    try {
      pending = Promise.resolve(produce());
    } catch (err) {
      pending = Promise.reject(err);
    }
    pending
      .catch((err) => {
        this.options.log.error(`internal error after data phase: ${String(err)}`);
        return error();
      })
      .then((response) => this.finish(response))
      .catch((err) => this.options.log.error(`internal error: ${String(err)}`));
  }

  private flushUrcs(): void {
    if (this.urcs.length === 0) return;
    this.write(Buffer.concat(this.urcs.splice(0)));
  }

  private write(bytes: Buffer): void {
    if (bytes.length === 0 || this.closed) return;
    try {
      this.options.port.write(bytes);
    } catch (err) {
      this.options.log.error(`uart write failed: ${String(err)}`);
    }
  }
}

function describe(response: AtResponse, bytes: Buffer): string {
  if (response.kind === 'data') return JSON.stringify(response.phase.prompt);
  const text = bytes.toString('latin1').trim();
  const firstLine = text.split('\r\n')[0] ?? '';
  const more = text.includes('\r\n') ? ` … ${text.slice(text.lastIndexOf('\r\n') + 2)}` : '';
  return /^[\x20-\x7e]*$/.test(firstLine) ? `${firstLine}${more}` : `(${bytes.length} bytes)`;
}
