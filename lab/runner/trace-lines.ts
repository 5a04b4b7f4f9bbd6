// The AT lines of a finished trace, for explaining a failure: the MCU's commands (with where they
// start in the tx bytes) and the modem's lines, each with its time. Data-phase bytes are not parsed
// as lines here (lab/trace/ frames them properly); a command is a tx line that starts with "AT".
import type { Trace } from '../../shared/trace/trace-reader.ts';

export interface TraceCommand {
  t: number;
  text: string;
  /** offset of its first byte in the tx direction */
  txOffset: number;
}

export interface TraceLine {
  t: number;
  text: string;
}

export interface TraceLines {
  commands: TraceCommand[];
  modemLines: TraceLine[];
  txBytes: number;
  endT: number;
}

/** Commands followed by a data phase of <length> bytes in tx (no line end after the data). */
const DATA_LENGTH = /^AT\+(?:QISEND=\d+|QSSLSEND=\d+|QFUPL="[^"]*"),(\d+)/;

export function traceLines(trace: Trace): TraceLines {
  const commands: TraceCommand[] = [];
  const modemLines: TraceLine[] = [];
  let tx = '';
  let txStart = 0;
  let txBytes = 0;
  let rx = '';
  /** data-phase bytes still to pass over after a send or upload command */
  let skip = 0;
  for (const chunk of trace.chunks) {
    const text = Buffer.from(chunk.data).toString('latin1');
    if (chunk.dir === 'tx') {
      for (const ch of text) {
        txBytes++;
        if (skip > 0) {
          skip--;
          if (skip === 0) txStart = txBytes;
        } else if (ch === '\r') {
          if (tx.startsWith('AT')) commands.push({ t: chunk.t, text: tx, txOffset: txStart });
          skip = Number(DATA_LENGTH.exec(tx)?.[1] ?? 0);
          tx = '';
          txStart = txBytes;
        } else tx += ch;
      }
    } else {
      rx += text;
      const lines = rx.split('\r\n');
      rx = lines.pop() ?? '';
      for (const line of lines) if (line) modemLines.push({ t: chunk.t, text: line });
    }
  }
  return { commands, modemLines, txBytes, endT: trace.chunks.at(-1)?.t ?? 0 };
}
