// A host TCP socket as a Duplex that counts every byte it moves, for the TLS the modem runs itself
// (offload mode): tls.connect({ socket }) over it sees the same stream, and the AirMeter sees the
// encrypted records as the network carries them. Over a plain net.Socket, TLS reads the kernel socket
// directly and no JavaScript sees the bytes, hence the wrapper.

import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { AirMeter } from './air-meter.ts';

export class MeteredStream extends Duplex {
  constructor(
    private readonly raw: Socket,
    private readonly meter: AirMeter,
  ) {
    super({ allowHalfOpen: true });
    raw.on('data', (bytes: Buffer) => {
      meter.received(bytes);
      if (!this.push(bytes)) raw.pause();
    });
    raw.on('end', () => this.push(null));
    // Once the TLS socket above has gone it no longer listens here; a late reset must not go unhandled.
    raw.on('error', (err) => {
      if (!this.destroyed && this.listenerCount('error') > 0) this.destroy(err);
      else this.destroy();
    });
    raw.on('close', () => {
      meter.ended();
      this.destroy();
    });
  }

  override _read(): void {
    this.raw.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    // Counted once the kernel has it: bytes queued before a connect that fails never reach the air.
    this.raw.write(chunk, (error) => {
      if (!error) this.meter.sent(chunk);
      callback(error);
    });
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.raw.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.raw.destroy();
    callback(error);
  }
}
