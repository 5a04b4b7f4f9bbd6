// A host TCP socket as a Duplex that counts every byte it moves, for the TLS the modem runs itself
// (offload mode): tls.connect({ socket }) over it sees the same stream, and the AirMeter sees the
// encrypted records as the network carries them. Over a plain net.Socket, TLS reads the kernel socket
// directly and no JavaScript sees the bytes, hence the wrapper.

import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { type ConnectionTap, tapConnection } from '../capture/network-recorder.ts';
import { trackHostStream } from '../host/host-socket-ledger.ts';
import type { LinkShaper } from '../link/link-shaper.ts';
import type { AirMeter } from './air-meter.ts';

export class MeteredStream extends Duplex {
  /** The run's capture of the encrypted stream (modem/capture/), from the TCP connect on. */
  private tap: ConnectionTap | undefined;

  constructor(
    private readonly raw: Socket,
    private readonly meter: AirMeter,
    /** the cellular link the encrypted stream crosses (none: loopback as it is) */
    private readonly link?: LinkShaper,
  ) {
    super({ allowHalfOpen: true });
    const arrive = (bytes: number, deliver: () => void) =>
      link ? link.down.carry(bytes, deliver) : deliver();
    raw.once('connect', () => {
      trackHostStream(raw);
      this.tap = tapConnection(
        'tcp',
        { address: raw.localAddress ?? '', port: raw.localPort ?? 0 },
        { address: raw.remoteAddress ?? '', port: raw.remotePort ?? 0 },
        true,
      );
    });
    raw.on('data', (bytes: Buffer) => {
      meter.received(bytes);
      this.tap?.received(bytes);
      arrive(bytes.length, () => {
        if (!this.destroyed && !this.push(bytes)) raw.pause();
      });
    });
    raw.on('end', () => {
      this.tap?.fin('down');
      arrive(0, () => this.destroyed || this.push(null));
    });
    // Once the TLS socket above has gone it no longer listens here; a late reset must not go unhandled.
    raw.on('error', (err) => {
      if (!this.destroyed && this.listenerCount('error') > 0) this.destroy(err);
      else this.destroy();
    });
    raw.on('close', () => {
      meter.ended();
      this.tap?.closed();
      arrive(0, () => this.destroy());
    });
    // The SYN and SYN-ACK take a round trip before the first byte can go.
    if (link) raw.once('connect', () => link.up.idleFor(link.roundTripMs));
  }

  override _read(): void {
    this.raw.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    // Counted once the kernel has it: bytes queued before a connect that fails never reach the air.
    // The capture too: the ClientHello is written before the TCP connect, when there is no tap yet.
    const send = (done: (error?: Error | null) => void) => {
      return this.raw.write(chunk, (error) => {
        if (!error) this.meter.sent(chunk);
        if (!error) this.tap?.sent(chunk);
        done(error);
      });
    };
    if (!this.link) return void send(callback);
    // On a shaped link the write completes at once; the bytes leave when the link carries them.
    this.link.up.carry(chunk.length, () => {
      if (!this.raw.destroyed) send(() => undefined);
    });
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    const end = (done?: () => void) => {
      this.tap?.fin('up');
      this.raw.end(done);
    };
    if (!this.link) return void end(callback);
    this.link.up.carry(0, () => end());
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.link?.stop();
    this.raw.destroy();
    callback(error);
  }
}
