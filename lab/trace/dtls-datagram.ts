// DTLS over the modem's UDP sockets: every datagram holds whole records (RFC 6347 §4.1.1), each with
// a 13-byte header whose epoch says whether its fragment is encrypted.

import type { TraceDirection } from '../../shared/trace/trace-format.ts';
import { clientHelloServerName } from './client-hello.ts';
import { alertName } from './handshake-inspector.ts';
import type { PayloadPart } from './payload-part.ts';
import { HANDSHAKE_TYPES, versionName } from './tls-names.ts';
import { applyHeader, newRecord, type TlsRecord } from './tls-record.ts';

const HEADER = 13;

/** The records of one datagram, or undefined when it is not (entirely) DTLS. */
export function dtlsParts(datagram: Buffer, dir: TraceDirection): PayloadPart[] | undefined {
  const parts: PayloadPart[] = [];
  let at = 0;
  while (at < datagram.length) {
    if (datagram.length - at < HEADER) return undefined;
    const type = datagram[at];
    const version = versionName(datagram[at + 1], datagram[at + 2]);
    const length = datagram.readUInt16BE(at + 11);
    if (type < 20 || type > 25 || !version?.startsWith('DTLS') || at + HEADER + length > datagram.length)
      return undefined;
    const record = newRecord('DTLS', dir);
    applyHeader(record, { contentType: type, version, length });
    record.epoch = datagram.readUInt16BE(at + 3);
    record.sequence = datagram.readUIntBE(at + 5, 6);
    record.complete = true;
    record.seen = HEADER + length;
    describeFragment(record, datagram.subarray(at + HEADER, at + HEADER + length));
    parts.push({
      kind: 'record',
      record,
      offset: at,
      length: HEADER + length,
      continued: false,
      continues: false,
    });
    at += HEADER + length;
  }
  return parts.length > 0 ? parts : undefined;
}

function describeFragment(record: TlsRecord, fragment: Buffer): void {
  if (record.epoch !== 0 || record.contentType === 23) {
    record.encrypted = true;
    return;
  }
  if (record.contentType === 21 && fragment.length === 2) record.alert = alertName(fragment);
  if (record.contentType !== 22 || fragment.length < 12) return;
  // Handshake header: type, length(3), message_seq(2), fragment_offset(3), fragment_length(3).
  const name = HANDSHAKE_TYPES[fragment[0]] ?? `handshake type ${fragment[0]}`;
  const total = fragment.readUIntBE(1, 3);
  const offset = fragment.readUIntBE(6, 3);
  const fragmentLength = fragment.readUIntBE(9, 3);
  const sni =
    fragment[0] === 1 && offset === 0 ? clientHelloServerName(fragment.subarray(12), true) : undefined;
  const piece =
    offset === 0 && fragmentLength === total ? '' : ` [fragment ${offset}+${fragmentLength} of ${total}]`;
  record.messages.push(`${name}${sni ? ` (SNI ${sni})` : ''}${piece}`);
}
