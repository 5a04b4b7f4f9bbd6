// Why an AT exchange ran out of time. The BG96 driver sends one socket send as 1460-byte chunks inside
// one AT exchange, and the AT timeout (1 s, mcu/cellular/at-handler.ts AT_DEFAULT_TIMEOUT_MS, as Mbed's
// ATHandler) runs across all of them while the bytes are still crossing the UART, so at 115200 baud a
// single send over about 10.5 KB cannot finish (docs/deviations.md, "ATHandler"). This turns the bare
// "no response within the AT timeout" into the bytes, the baud and the line time against the timeout.
import { AT_DEFAULT_TIMEOUT_MS } from '../../mcu/cellular/at-handler.ts';
import { bytesPerSecond, parseFrame } from '../wire/uart-frame.ts';
import type { TraceLines } from './trace-lines.ts';

const SEND = /^AT\+(QISEND|QSSLSEND)=(\d+),(\d+)$/;

/** The last socket send in the trace: its chunk commands and the tx bytes from its first command on. */
export function lastSendExchange(lines: TraceLines) {
  const sends = lines.commands.map((c) => ({ c, m: SEND.exec(c.text) }));
  let last = sends.length - 1;
  while (last >= 0 && !(sends[last].m && Number(sends[last].m?.[3]) > 0)) last--;
  if (last < 0) return undefined;
  let first = last;
  while (first > 0 && sends[first - 1].m?.[2] === sends[last].m?.[2]) first--;
  const chunkSends = sends.slice(first, last + 1).filter(({ m }) => Number(m?.[3]) > 0);
  const chunks = chunkSends.map(({ m }) => Number(m?.[3]));
  const lastCommand = sends[last].c;
  const end = lastCommand.txOffset + lastCommand.text.length + 1 + chunks[chunks.length - 1];
  return {
    command: `AT+${sends[last].m?.[1]}`,
    chunks,
    payloadBytes: chunks.reduce((sum, n) => sum + n, 0),
    lineBytes: Math.min(end, lines.txBytes) - sends[first].c.txOffset,
    /** ms from the exchange's first command to its last chunk's command */
    spanMs: lastCommand.t - sends[first].c.t,
    /** ms from one chunk's command to the next (prompt, data, SEND OK), when there are two or more */
    msPerChunk: chunks.length > 1 ? (lastCommand.t - chunkSends[0].c.t) / (chunks.length - 1) : undefined,
  };
}

/** A sentence naming what ran out of time, or undefined when the trace shows no command at all. */
export function atTimeoutCause(lines: TraceLines, baud: number, frameText: string): string | undefined {
  const rate = bytesPerSecond(baud, parseFrame(frameText));
  const timeoutS = AT_DEFAULT_TIMEOUT_MS / 1000;
  const send = lastSendExchange(lines);
  if (send) {
    const lineS = send.lineBytes / rate;
    // How long the exchange had run: to its last chunk's command, plus that chunk's time on the line.
    const elapsedS = send.spanMs / 1000 + (send.chunks[send.chunks.length - 1] + 20) / rate;
    // The send exchange is the cause only when it had run for about the timeout.
    if (elapsedS >= timeoutS * 0.8) {
      // What fits: on the line alone (a hard bound), and at the pace this run's chunks went.
      const lineLimitKb = ((timeoutS * rate * 1460) / (1460 + 20) / 1000).toFixed(1);
      const paced = send.msPerChunk
        ? `; at this run's ${Math.round(send.msPerChunk)} ms a chunk, about ${((timeoutS / (send.msPerChunk / 1000)) * 1.46).toFixed(1)} KB`
        : '';
      return (
        `AT timeout during one send: ${send.chunks.length} ${send.command} chunks (${send.payloadBytes} bytes; ` +
        `${send.lineBytes} bytes = ${lineS.toFixed(2)} s on the line at ${baud} baud ${frameText}, ` +
        `${Math.round(rate)} B/s) had taken ${elapsedS.toFixed(2)} s, and the ${timeoutS} s AT timeout runs ` +
        `across the whole send (as Mbed's ATHandler). A single send over ${lineLimitKb} KB cannot finish at this ` +
        `baud rate even on an idle line${paced}: send in smaller pieces (docs/deviations.md, "ATHandler")`
      );
    }
  }
  const last = lines.commands.at(-1);
  if (!last) return undefined;
  return `AT timeout: no complete answer within the ${timeoutS} s AT timeout (last command on the UART: ${last.text})`;
}
