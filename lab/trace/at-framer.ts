// Rebuilds the AT framing of a trace from its bytes alone: command lines, response lines, URCs, echo,
// prompts and the data phases between them. Both directions are read together in time order, because
// one side decides how the other is read: the `> ` prompt decides whether the MCU's next bytes are
// payload, and the command waiting for an answer decides whether `+QIRD: 5` is its answer. The trace is
// read as the framer goes (TraceFeed), and each event is handed out, in time order, once it is finished.
import type { Trace } from '../../shared/trace/trace-reader.ts';
import { intParam, parseAtCommand, type TxDataCommand, txDataCommand } from './at-command.ts';
import type { AtEvent, CommandEvent, DataEvent, FramedTrace, LineEvent } from './at-events.ts';
import type { ByteCursor } from './byte-cursor.ts';
import { finalResultOf, isUnsolicited, rxPayloadHeader, urcName } from './response-line.ts';
import { TimeOrder } from './time-order.ts';
import { recordsOf, TraceFeed } from './trace-feed.ts';

const CR = 0x0d;
const LF = 0x0a;
const CTRL_Z = 0x1a;
const ESC = 0x1b;
const isEol = (b: number) => b === CR || b === LF;
const endsCtrlZPhase = (b: number) => b === CTRL_Z || b === ESC;

interface Pending {
  event: CommandEvent;
  data?: TxDataCommand;
  prompted: boolean;
}

interface TxDataPhase {
  event: DataEvent;
  /** Bytes still to come, or undefined for a phase that ends at Ctrl-Z. */
  remaining?: number;
  /** The payload so far, joined when the phase ends. */
  pieces: Buffer[];
}

/** The whole trace framed at once (tests, small traces). */
export function frameTrace(trace: Trace): FramedTrace {
  const framer = new AtFramer(new TraceFeed(recordsOf(trace)));
  const events = [...framer.events()];
  return { events, bytes: framer.bytes, warnings: framer.warnings };
}

export class AtFramer {
  /** Framing problems found, each with its time, in the order found. */
  readonly warnings: string[] = [];
  private readonly tx: ByteCursor;
  private readonly rx: ByteCursor;
  private readonly order = new TimeOrder<AtEvent>();
  private pending?: Pending;
  private txData?: TxDataPhase;

  constructor(feed: TraceFeed) {
    this.tx = feed.tx;
    this.rx = feed.rx;
  }

  /** Bytes each way, all of them: payload plus AT framing (complete once `events` has ended). */
  get bytes(): { tx: number; rx: number } {
    return { tx: this.tx.length, rx: this.rx.length };
  }

  /** The events in order of time, each given once it is finished (a command once it has its result). */
  *events(): Generator<AtEvent> {
    const { tx, rx } = this;
    const open = (event: AtEvent) =>
      event.kind === 'command'
        ? event === this.pending?.event && event.result === undefined
        : event === this.txData?.event;
    while (!tx.done || !rx.done) {
      if (this.txGoesFirst()) this.readTx();
      else this.readRx();
      yield* this.order.release(this.earliestToCome(), open);
    }
    if (this.txData) {
      this.warn(this.txData.event.t, `trace ends inside a ${this.txData.event.via} data phase`);
      this.endTxData();
    }
    yield* this.order.release(Number.POSITIVE_INFINITY, () => false);
  }

  /** No event still to be found starts before the next unread byte of either direction. */
  private earliestToCome(): number {
    const { tx, rx } = this;
    if (tx.done) return rx.done ? Number.POSITIVE_INFINITY : rx.nextTime;
    return rx.done ? tx.nextTime : Math.min(tx.nextTime, rx.nextTime);
  }

  private push(event: AtEvent): void {
    this.order.add(event);
  }

  /**
   * Earliest byte first. On a tie the command goes first (it causes the answer), except while a send
   * command waits for its prompt: the prompt always precedes the payload it lets through.
   */
  private txGoesFirst(): boolean {
    const { tx, rx } = this;
    if (tx.done || rx.done) return !tx.done;
    return tx.nextTime < rx.nextTime || (tx.nextTime === rx.nextTime && !this.awaitingPrompt());
  }

  private awaitingPrompt(): boolean {
    const pending = this.pending;
    return pending?.data !== undefined && !pending.prompted && pending.event.result === undefined;
  }

  private warn(t: number, message: string): void {
    this.warnings.push(`${t.toFixed(3)} ms: ${message}`);
  }

  // ---- MCU to modem ----

  private readTx(): void {
    if (this.txData) {
      this.readTxData(this.txData);
      return;
    }
    const { tx } = this;
    tx.takeUntil((b) => !isEol(b));
    // Line ends left over from earlier may precede, in time, what the other side sent next.
    if (tx.done || !this.txGoesFirst()) return;
    const t = tx.nextTime;
    if (this.awaitingPrompt()) {
      this.warn(t, `${this.pending!.event.text} got no prompt; the bytes that follow are read as commands`);
    }
    const text = tx.takeUntil(isEol).toString('latin1');
    const unterminated = tx.done;
    if (tx.peek() === CR) tx.take(1);
    // A `\r\n` terminator: the modem does not count the `\n` as payload, and neither do we.
    if (tx.peek() === LF) tx.take(1);
    const command = parseAtCommand(text);
    const event: CommandEvent = { kind: 'command', t, dir: 'tx', text, command };
    if (unterminated) event.unterminated = true;
    this.push(event);
    if (this.pending && !this.pending.event.result) {
      this.warn(t, `${this.pending.event.text} got no final result before the next command`);
    }
    this.pending = command ? { event, data: txDataCommand(command), prompted: false } : undefined;
  }

  private startTxData(pending: Pending): void {
    const data = pending.data!;
    pending.prompted = true;
    const event: DataEvent = {
      kind: 'data',
      t: this.tx.done ? this.rx.nextTime : this.tx.nextTime,
      tEnd: 0,
      dir: 'tx',
      via: data.via,
      payload: Buffer.alloc(0),
      expected: data.length.kind === 'fixed' ? data.length.length : undefined,
      complete: false,
      socketId: data.socketId,
      file: data.file,
      peer: data.peer,
      command: pending.event,
    };
    this.push(event);
    const remaining = data.length.kind === 'fixed' ? data.length.length : undefined;
    this.txData = { event, remaining, pieces: [] };
  }

  /** The phase is over (all its bytes, Ctrl-Z or ESC, the modem's early answer, or the trace's end). */
  private endTxData(): void {
    const phase = this.txData;
    if (!phase) return;
    phase.event.payload = Buffer.concat(phase.pieces);
    this.txData = undefined;
  }

  /** Reads up to the end of the current chunk, so the modem's bytes in between are read in time order. */
  private readTxData(phase: TxDataPhase): void {
    const { tx } = this;
    const { event } = phase;
    // The event's time is its first byte's, taken when the prompt came: the cursor has not moved since.
    const limit = tx.chunkEnd - tx.pos;
    let bytes: Buffer;
    let ended = false;
    if (phase.remaining !== undefined) {
      bytes = tx.take(Math.min(limit, phase.remaining));
      phase.remaining -= bytes.length;
      ended = phase.remaining === 0;
      event.complete = ended;
    } else {
      const stop = tx.pos + limit;
      const end = tx.findInChunk(endsCtrlZPhase);
      bytes = tx.take(end - tx.pos);
      if (end < stop) {
        ended = true;
        event.complete = tx.take(1)[0] === CTRL_Z;
        if (!event.complete) this.warn(tx.timeAt(end), `${event.via} data cancelled with ESC`);
      }
    }
    if (bytes.length > 0) phase.pieces.push(bytes);
    event.tEnd = tx.timeAt(tx.pos - 1);
    if (ended) this.endTxData();
  }

  // ---- modem to MCU ----

  private readRx(): void {
    const { rx } = this;
    rx.takeUntil((b) => !isEol(b));
    if (rx.done || this.txGoesFirst()) return;
    const t = rx.nextTime;
    const pending = this.pending;
    if (rx.peek() === 0x3e /* > */) {
      rx.take(rx.peek(1) === 0x20 ? 2 : 1);
      this.pushLine(t, 'prompt', '> ');
      if (pending?.data && pending.data.via !== 'QFUPL' && !pending.prompted) this.startTxData(pending);
      else this.warn(t, 'a "> " prompt that no send command asked for');
      return;
    }
    if (pending?.data?.via === 'QFUPL' && pending.prompted && !pending.event.result && rx.peek() === 0x41) {
      // ackmode 1: a bare `A` per 1024 bytes received, no line end; one chunk's worth is one ack.
      let n = 0;
      while (rx.pos + n < rx.chunkEnd && rx.peek(n) === 0x41) n++;
      this.pushLine(t, 'ack', rx.take(n).toString('latin1'));
      return;
    }
    const text = rx.takeUntil(isEol).toString('latin1');
    const unterminated = rx.done;
    if (rx.peek() === CR) rx.take(1);
    if (rx.peek() === LF) rx.take(1);
    const line = this.classify(t, text, pending);
    if (unterminated) line.unterminated = true;
    const header = rxPayloadHeader(text);
    if (header && header.length > 0) this.readRxPayload(line, header);
  }

  private classify(t: number, text: string, pending: Pending | undefined): LineEvent {
    const running = pending && !pending.event.result ? pending : undefined;
    if (/^AT/i.test(text)) return this.pushLine(t, 'echo', text);
    if (running?.data?.via === 'QFUPL' && !running.prompted && text === 'CONNECT') {
      const line = this.pushLine(t, 'prompt', text, running.event);
      this.startTxData(running);
      return line;
    }
    const final = finalResultOf(text);
    if (final) {
      if (!running) {
        this.warn(t, `"${text}" answers no command`);
        return this.pushLine(t, 'stray', text);
      }
      running.event.result = final;
      running.event.resultText = text;
      running.event.answeredAt = t;
      if (this.txData && this.txData.event.command === running.event) {
        this.warn(t, `the modem ended the ${this.txData.event.via} data phase early with "${text}"`);
        this.endTxData();
      }
      return this.pushLine(t, 'final', text, running.event);
    }
    if (isUnsolicited(text, running?.event.command?.name)) {
      const line = this.pushLine(t, 'urc', text);
      line.urc = urcName(text);
      return line;
    }
    if (running) return this.pushLine(t, 'info', text, running.event);
    this.warn(t, `"${text.slice(0, 40)}" answers no command`);
    return this.pushLine(t, 'stray', text);
  }

  private pushLine(t: number, role: LineEvent['role'], text: string, answers?: CommandEvent): LineEvent {
    const event: LineEvent = { kind: 'line', t, dir: 'rx', role, text, answers };
    this.push(event);
    return event;
  }

  /** The n raw bytes after `+QIRD: n`: read by count, whatever they contain (CR, LF, `OK`…). */
  private readRxPayload(line: LineEvent, header: NonNullable<ReturnType<typeof rxPayloadHeader>>): void {
    const { rx } = this;
    const command = line.role === 'info' ? line.answers : undefined;
    const t = rx.done ? line.t : rx.nextTime;
    const payload = rx.take(header.length);
    const event: DataEvent = {
      kind: 'data',
      t,
      tEnd: rx.timeAt(rx.pos - 1),
      dir: 'rx',
      via: header.via,
      payload,
      expected: header.length,
      complete: payload.length === header.length,
      socketId: header.socketId ?? (command?.command ? intParam(command.command.params, 0) : undefined),
      peer: header.peer,
      command,
    };
    if (!event.complete) this.warn(t, `trace ends inside a ${header.via} payload`);
    this.push(event);
  }
}
