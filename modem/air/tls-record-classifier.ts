// Sorts the bytes of one direction of a connection by TLS record content type, so the modem can split
// what crossed the air into handshake and application data without holding any key. A stream that does
// not start like TLS (a plain TCP protocol) counts as application data throughout. RFC 5246 §6.2.1
// (TLSPlaintext: type, version, length, then the fragment); RFC 6347 §4.1 for DTLS (13-byte header).

/** Where a byte of TLS goes in the cost figures. */
export type AirCategory = 'handshake' | 'application' | 'alert';

const CONTENT_TYPE = { changeCipherSpec: 20, alert: 21, handshake: 22, applicationData: 23 } as const;
const TLS_HEADER = 5;
const DTLS_HEADER = 13;

export type CategoryBytes = Record<AirCategory, number>;

export const emptyCategoryBytes = (): CategoryBytes => ({ handshake: 0, application: 0, alert: 0 });

function categoryOf(contentType: number): AirCategory {
  if (contentType === CONTENT_TYPE.handshake || contentType === CONTENT_TYPE.changeCipherSpec)
    return 'handshake';
  if (contentType === CONTENT_TYPE.alert) return 'alert';
  return 'application';
}

const looksLikeRecord = (type: number, major: number) =>
  type >= CONTENT_TYPE.changeCipherSpec &&
  type <= CONTENT_TYPE.applicationData &&
  (major === 3 || major === 0xfe);

/** One direction of a TLS stream; record boundaries may fall anywhere in the chunks. */
export class TlsStreamClassifier {
  readonly bytes = emptyCategoryBytes();
  private header: number[] = [];
  /** fragment bytes still to come of the current record, and its category */
  private remaining = 0;
  private current: AirCategory = 'application';
  /** false once the stream showed it is not TLS: everything is application data from then on */
  private tls: boolean | undefined;

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.tls === false) {
        this.bytes.application += chunk.length - i;
        return;
      }
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - i);
        this.bytes[this.current] += take;
        this.remaining -= take;
        i += take;
        continue;
      }
      this.header.push(chunk[i]);
      i++;
      if (this.header.length < TLS_HEADER) continue;
      const [type, major, , high, low] = this.header;
      this.header = [];
      if (!looksLikeRecord(type, major)) {
        this.tls = false;
        this.bytes.application += TLS_HEADER;
        continue;
      }
      this.tls = true;
      this.current = categoryOf(type);
      this.bytes[this.current] += TLS_HEADER;
      this.remaining = (high << 8) | low;
    }
  }
}

/** Sorts one datagram's DTLS records (a datagram holds whole records); non-DTLS is application data. */
export function classifyDatagram(datagram: Uint8Array, into: CategoryBytes): void {
  let offset = 0;
  while (offset + DTLS_HEADER <= datagram.length) {
    const type = datagram[offset];
    if (!looksLikeRecord(type, datagram[offset + 1])) break;
    const length = (datagram[offset + 11] << 8) | datagram[offset + 12];
    const size = Math.min(DTLS_HEADER + length, datagram.length - offset);
    into[categoryOf(type)] += size;
    offset += size;
  }
  into.application += datagram.length - offset;
}
