// Counts what a process writes to and reads from its UART end, for its simulated-time reports: a byte
// the wire delivered that the process has not read yet is in flight (docs/simulated-time.md).
import type { Duplex } from 'node:stream';

export interface UartByteCounts {
  sent: number;
  received: number;
}

/** Counts `port`'s bytes from now on; `onActivity` hears every read and write. */
export function countUartBytes(port: Duplex, onActivity: () => void): UartByteCounts {
  const counts: UartByteCounts = { sent: 0, received: 0 };
  port.prependListener('data', (chunk: Buffer) => {
    counts.received += chunk.length;
    onActivity();
  });
  const write = port.write.bind(port) as (...args: unknown[]) => boolean;
  port.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string')
      counts.sent += Buffer.byteLength(chunk, (rest[0] as BufferEncoding) ?? 'utf8');
    else if (chunk instanceof Uint8Array) counts.sent += chunk.length;
    onActivity();
    return write(chunk, ...rest);
  }) as Duplex['write'];
  return counts;
}
