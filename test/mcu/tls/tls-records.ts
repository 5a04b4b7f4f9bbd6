// TLS record framing read from raw bytes (RFC 5246, section 6.2.1): enough to tell, from what crossed a
// transport, whether an alert (close_notify) went out or where a stream was cut.
export const CONTENT_CHANGE_CIPHER_SPEC = 20;
export const CONTENT_ALERT = 21;
export const CONTENT_HANDSHAKE = 22;
export const CONTENT_APPLICATION_DATA = 23;

export interface TlsRecordHeader {
  type: number;
  /** the length the header announces */
  length: number;
  /** false for a last record the bytes stop inside of */
  complete: boolean;
}

/** The record headers of a byte stream, in order. */
export function recordsOf(chunks: readonly Uint8Array[]): TlsRecordHeader[] {
  const bytes = Buffer.concat(chunks);
  const records: TlsRecordHeader[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < 5) {
      records.push({ type: bytes[at], length: -1, complete: false });
      break;
    }
    const length = bytes.readUInt16BE(at + 3);
    records.push({ type: bytes[at], length, complete: at + 5 + length <= bytes.length });
    at += 5 + length;
  }
  return records;
}
