import type { Endpoint } from './transport.ts';

/** One datagram, or one run of stream bytes, with the sender for UDP SERVICE. */
export interface ReceivedChunk {
  readonly data: Buffer;
  readonly from?: Endpoint;
}

/**
 * A socket's receive buffer in buffer-access mode (what AT+QIRD / AT+QSSLRECV read), with the
 * counters AT+QIRD=<id>,0 reports.
 */
export class ReceiveBuffer {
  private chunks: ReceivedChunk[] = [];
  private unreadBytes = 0;
  totalReceived = 0;
  haveRead = 0;

  get unread(): number {
    return this.unreadBytes;
  }

  get empty(): boolean {
    return this.unreadBytes === 0;
  }

  /** Appends received bytes; returns true when the buffer was empty before (a "recv" URC is due). */
  push(data: Buffer, from?: Endpoint): boolean {
    const wasEmpty = this.empty;
    if (data.length === 0) return false;
    this.chunks.push({ data, from });
    this.unreadBytes += data.length;
    this.totalReceived += data.length;
    return wasEmpty;
  }

  /** Stream read (TCP, SSL): up to `max` bytes across chunk boundaries. */
  readStream(max: number): Buffer {
    const parts: Buffer[] = [];
    let wanted = max;
    while (wanted > 0 && this.chunks.length > 0) {
      const head = this.chunks[0];
      const take = head.data.subarray(0, wanted);
      parts.push(take);
      wanted -= take.length;
      if (take.length === head.data.length) this.chunks.shift();
      else this.chunks[0] = { data: head.data.subarray(take.length), from: head.from };
    }
    return this.consumed(Buffer.concat(parts));
  }

  /** Datagram read (UDP): the next datagram, or its first `max` bytes (the rest stays queued). */
  readDatagram(max: number): ReceivedChunk | undefined {
    const head = this.chunks[0];
    if (!head) return undefined;
    if (head.data.length <= max) this.chunks.shift();
    else this.chunks[0] = { data: head.data.subarray(max), from: head.from };
    return { data: this.consumed(head.data.subarray(0, max)), from: head.from };
  }

  private consumed(data: Buffer): Buffer {
    this.unreadBytes -= data.length;
    this.haveRead += data.length;
    return data;
  }
}
