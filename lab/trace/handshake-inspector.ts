// Reads what a TLS connection shows in clear, one direction at a time: the handshake messages before
// ChangeCipherSpec (reassembled when one spans records), alerts sent in clear, and from
// ChangeCipherSpec on, nothing but the fact that a record is encrypted.
import { clientHelloServerName } from './client-hello.ts';
import { ALERT_DESCRIPTIONS, HANDSHAKE_TYPES } from './tls-names.ts';
import type { TlsRecord } from './tls-record.ts';

export class HandshakeInspector {
  private changedCipher = false;
  private encryptedHandshakes = 0;
  /** Clear handshake bytes not yet parsed into whole messages. */
  private buffer = Buffer.alloc(0);
  /** Which record each byte of `buffer` came from: [start offset in buffer, record]. */
  private owners: Array<[number, TlsRecord]> = [];

  /** Called once the whole record has crossed. */
  inspect(record: TlsRecord, fragment: Buffer): void {
    switch (record.contentType) {
      case 20:
        this.changedCipher = true;
        return;
      case 21:
        if (!this.changedCipher && fragment.length === 2) record.alert = alertName(fragment);
        else record.encrypted = true;
        return;
      case 22:
        if (this.changedCipher) {
          record.encrypted = true;
          // In TLS 1.2 the first handshake message after ChangeCipherSpec is Finished.
          record.messages.push(
            this.encryptedHandshakes++ === 0 ? 'Finished (encrypted)' : 'encrypted handshake',
          );
          return;
        }
        this.owners.push([this.buffer.length, record]);
        this.buffer = Buffer.concat([this.buffer, fragment]);
        this.parseMessages();
        return;
      default:
        record.encrypted = true;
    }
  }

  private parseMessages(): void {
    let at = 0;
    while (this.buffer.length - at >= 4) {
      const length = this.buffer.readUIntBE(at + 1, 3);
      if (this.buffer.length - at < 4 + length) break;
      const message = this.buffer.subarray(at, at + 4 + length);
      this.ownerOf(at).messages.push(describeHandshake(message));
      at += 4 + length;
    }
    // Keep the owners of the bytes still waiting (the start of an unfinished message).
    const total = this.buffer.length;
    this.owners = this.owners.flatMap(([start, record], i): Array<[number, TlsRecord]> => {
      const end = i + 1 < this.owners.length ? this.owners[i + 1][0] : total;
      return end > at ? [[Math.max(0, start - at), record]] : [];
    });
    this.buffer = this.buffer.subarray(at);
  }

  /** A handshake message begun in `record` is still waiting for its rest (its name goes on the record). */
  holds(record: TlsRecord): boolean {
    return this.owners.some(([, owner]) => owner === record);
  }

  private ownerOf(offset: number): TlsRecord {
    let owner = this.owners[0][1];
    for (const [start, record] of this.owners) if (start <= offset) owner = record;
    return owner;
  }
}

/** `ClientHello (SNI echo.tlssim.test)`, `Certificate`… for one whole handshake message. */
export function describeHandshake(message: Buffer): string {
  const name = HANDSHAKE_TYPES[message[0]] ?? `handshake type ${message[0]}`;
  if (message[0] === 1) {
    const sni = clientHelloServerName(message.subarray(4));
    if (sni) return `${name} (SNI ${sni})`;
  }
  return name;
}

export function alertName(fragment: Uint8Array): string {
  const level = fragment[0] === 2 ? 'fatal' : fragment[0] === 1 ? 'warning' : `level ${fragment[0]}`;
  return `${level} ${ALERT_DESCRIPTIONS[fragment[1]] ?? `alert ${fragment[1]}`}`;
}
