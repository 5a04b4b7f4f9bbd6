// How the bytes of one data phase divide up: slices of TLS/DTLS records, and bytes in clear.
import type { TlsRecord } from './tls-record.ts';

export interface RecordPart {
  kind: 'record';
  record: TlsRecord;
  /** Where the slice starts within the data phase's payload, and how long it is. */
  offset: number;
  length: number;
  /** The record began in an earlier data phase. */
  continued: boolean;
  /** The record goes on in a later data phase. */
  continues: boolean;
}

export interface ClearPart {
  kind: 'clear';
  offset: number;
  length: number;
}

export type PayloadPart = RecordPart | ClearPart;
