// The AT conversation rebuilt from a trace: what the framer finds, one event per line or data phase.
import type { TraceDirection } from '../../shared/trace/trace-format.ts';
import type { AtCommand } from './at-command.ts';
import type { FinalResult } from './response-line.ts';

export type DataVia = 'QISEND' | 'QSSLSEND' | 'QFUPL' | 'QIRD' | 'QSSLRECV' | 'QIURC' | 'QSSLURC';

interface EventBase {
  /** Time of the event's first byte, ms since the trace started. */
  t: number;
  dir: TraceDirection;
}

/** A line the MCU sent: an AT command, or (rarely) text that is not one. */
export interface CommandEvent extends EventBase {
  kind: 'command';
  dir: 'tx';
  text: string;
  command?: AtCommand;
  /** The final result line that ended the command's response, when one came. */
  result?: FinalResult;
  resultText?: string;
  /** Time of that final result. */
  answeredAt?: number;
  /** The stream ended before the line's terminator. */
  unterminated?: boolean;
}

export type LineRole =
  /** OK, ERROR, +CME ERROR, SEND OK, SEND FAIL */
  | 'final'
  /** An information line of the running command (`+QIRD: 5`, `+QISEND: 1,1,0`). */
  | 'info'
  | 'urc'
  /** The modem repeating a command line while echo (ATE1) is on. */
  | 'echo'
  /** `> ` before QISEND/QSSLSEND data, `CONNECT` before QFUPL data. */
  | 'prompt'
  /** `A` every 1024 bytes of a QFUPL upload in ack mode. */
  | 'ack'
  /** A line no running command explains. */
  | 'stray';

export interface LineEvent extends EventBase {
  kind: 'line';
  dir: 'rx';
  role: LineRole;
  text: string;
  /** For URCs: `+QIURC "recv"`, `RDY`… */
  urc?: string;
  /** The command this line answers. */
  answers?: CommandEvent;
  unterminated?: boolean;
}

/** Raw bytes of one data phase, exactly as they crossed. */
export interface DataEvent extends EventBase {
  kind: 'data';
  via: DataVia;
  payload: Buffer;
  /** Time of the last byte. */
  tEnd: number;
  /** The count the command or length line announced (undefined for a Ctrl-Z phase). */
  expected?: number;
  /** False when the phase ended early (trace end, modem error) or was cancelled with ESC. */
  complete: boolean;
  socketId?: number;
  file?: string;
  /** `ip:port` of a UDP SERVICE datagram. */
  peer?: string;
  /** The command that opened the phase (QISEND…) or asked for the data (QIRD…). */
  command?: CommandEvent;
}

export type AtEvent = CommandEvent | LineEvent | DataEvent;

export interface FramedTrace {
  events: AtEvent[];
  /** Bytes each way, all of them: payload plus AT framing. */
  bytes: { tx: number; rx: number };
  /** Framing problems found, each with its time. */
  warnings: string[];
}
