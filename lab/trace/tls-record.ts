// One TLS or DTLS record as the trace shows it: its header fields and what can be read of it in clear.
import type { TraceDirection } from '../../shared/trace/trace-format.ts';
import { CONTENT_TYPES, versionName } from './tls-names.ts';

export interface TlsRecord {
  protocol: 'TLS' | 'DTLS';
  dir: TraceDirection;
  contentType: number;
  /** `handshake`, `application_data`… */
  typeName: string;
  /** `TLS 1.2` (the record layer's version; TLS 1.3 records say 1.2 here too). */
  version: string;
  /** Bytes of the fragment after the header. */
  length: number;
  headerLength: number;
  epoch?: number;
  sequence?: number;
  /** Handshake messages that start in this record, readable because they precede ChangeCipherSpec. */
  messages: string[];
  /** `fatal bad_certificate` for an alert sent in clear. */
  alert?: string;
  /** The fragment cannot be read on the UART: application data, or anything after ChangeCipherSpec. */
  encrypted: boolean;
  /** Every byte of the record crossed within the trace. */
  complete: boolean;
  /** Bytes of the record (header included) seen so far. */
  seen: number;
}

/** Largest TLSCiphertext fragment: 2^14 plus the 2048 bytes of expansion RFC 5246 allows. */
const MAX_FRAGMENT = 16384 + 2048;

export interface RecordHeader {
  contentType: number;
  version: string;
  length: number;
}

/**
 * Whether `bytes` (possibly fewer than a header's worth) can be the start of a TLS record: a known
 * content type, version 3.x, a length within the limit. What is not there yet is not held against it.
 */
export function plausibleTlsStart(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  if (bytes[0] < 20 || bytes[0] > 24) return false;
  if (bytes.length > 1 && bytes[1] !== 3) return false;
  if (bytes.length > 2 && bytes[2] > 4) return false;
  if (bytes.length > 4) {
    const length = (bytes[3] << 8) | bytes[4];
    if (length > MAX_FRAGMENT || (length === 0 && bytes[0] !== 23)) return false;
  }
  return true;
}

/** The 5-byte TLS record header, or undefined when it is not one. */
export function tlsHeader(bytes: Uint8Array): RecordHeader | undefined {
  if (bytes.length < 5 || !plausibleTlsStart(bytes)) return undefined;
  return {
    contentType: bytes[0],
    version: versionName(bytes[1], bytes[2]) ?? `0x${bytes[1].toString(16)}${bytes[2].toString(16)}`,
    length: (bytes[3] << 8) | bytes[4],
  };
}

export function newRecord(protocol: 'TLS' | 'DTLS', dir: TraceDirection): TlsRecord {
  return {
    protocol,
    dir,
    contentType: 0,
    typeName: '?',
    version: '?',
    length: 0,
    headerLength: protocol === 'TLS' ? 5 : 13,
    messages: [],
    encrypted: false,
    complete: false,
    seen: 0,
  };
}

export function applyHeader(record: TlsRecord, header: RecordHeader): void {
  record.contentType = header.contentType;
  record.typeName = CONTENT_TYPES[header.contentType] ?? `type ${header.contentType}`;
  record.version = header.version;
  record.length = header.length;
  // Application data is never readable on the UART, even before the record is complete.
  if (header.contentType === 23) record.encrypted = true;
}
