// Just enough DTLS 1.2 record parsing for the lab to see what a datagram carries (RFC 6347 §4.1, §4.2.2):
// record content types, epochs, and the handshake message type of plaintext (epoch 0) handshake records.
// Tolerant: a truncated or garbage datagram yields the records that parse and `malformed: true`.

export const RECORD_HEADER_LENGTH = 13;
export const HANDSHAKE_HEADER_LENGTH = 12;

export const CONTENT_TYPE = {
  change_cipher_spec: 20,
  alert: 21,
  handshake: 22,
  application_data: 23,
} as const;

/** Handshake message types by the names Mbed TLS's udp_proxy uses for delay_cli / delay_srv. */
export const HANDSHAKE_TYPE = {
  HelloRequest: 0,
  ClientHello: 1,
  ServerHello: 2,
  HelloVerifyRequest: 3,
  NewSessionTicket: 4,
  Certificate: 11,
  ServerKeyExchange: 12,
  CertificateRequest: 13,
  ServerHelloDone: 14,
  CertificateVerify: 15,
  ClientKeyExchange: 16,
  Finished: 20,
} as const;

export type HandshakeTypeName = keyof typeof HANDSHAKE_TYPE;

export const HANDSHAKE_TYPE_NAMES = Object.keys(HANDSHAKE_TYPE) as HandshakeTypeName[];

export function isHandshakeTypeName(name: string): name is HandshakeTypeName {
  return Object.hasOwn(HANDSHAKE_TYPE, name);
}

export interface DtlsRecord {
  contentType: number;
  epoch: number;
  /** Where the record (header included) starts in the datagram. */
  offset: number;
  /** Fragment length from the header. */
  length: number;
  /** Plaintext handshake records only (epoch 0): the message type. */
  handshakeType?: number;
}

export interface ParsedDatagram {
  records: DtlsRecord[];
  /** Bytes that did not parse as whole records (truncation, garbage). */
  malformed: boolean;
}

export function parseDtlsDatagram(datagram: Uint8Array): ParsedDatagram {
  const records: DtlsRecord[] = [];
  let offset = 0;
  while (offset < datagram.length) {
    if (datagram.length - offset < RECORD_HEADER_LENGTH) return { records, malformed: true };
    const contentType = datagram[offset]!;
    const major = datagram[offset + 1]!;
    if (contentType < 20 || contentType > 25 || major !== 0xfe) return { records, malformed: true };
    const epoch = (datagram[offset + 3]! << 8) | datagram[offset + 4]!;
    const length = (datagram[offset + 11]! << 8) | datagram[offset + 12]!;
    if (offset + RECORD_HEADER_LENGTH + length > datagram.length) return { records, malformed: true };
    const record: DtlsRecord = { contentType, epoch, offset, length };
    if (contentType === CONTENT_TYPE.handshake && epoch === 0 && length >= HANDSHAKE_HEADER_LENGTH) {
      record.handshakeType = datagram[offset + RECORD_HEADER_LENGTH]!;
    }
    records.push(record);
    offset += RECORD_HEADER_LENGTH + length;
  }
  return { records, malformed: false };
}

/** True when the datagram starts with a plaintext ClientHello: the only thing that may open a session. */
export function isClientHello(datagram: Uint8Array): boolean {
  const first = parseDtlsDatagram(datagram).records[0];
  return first?.handshakeType === HANDSHAKE_TYPE.ClientHello;
}

export function hasHandshakeType(parsed: ParsedDatagram, type: number): boolean {
  return parsed.records.some((record) => record.handshakeType === type);
}

export function hasContentType(parsed: ParsedDatagram, type: number): boolean {
  return parsed.records.some((record) => record.contentType === type);
}

/** The name of a handshake type number ("type 99" when unknown), for logs. */
export function handshakeTypeName(type: number): string {
  return HANDSHAKE_TYPE_NAMES.find((name) => HANDSHAKE_TYPE[name] === type) ?? `type ${type}`;
}

const CONTENT_TYPE_NAMES: Record<number, string> = {
  20: 'ChangeCipherSpec',
  21: 'Alert',
  22: 'Handshake',
  23: 'ApplicationData',
};

/** A short description of what a datagram carries, e.g. "ServerHello+Certificate" or "ApplicationData". */
export function describeDatagram(parsed: ParsedDatagram): string {
  const names = parsed.records.map((record) => {
    if (record.handshakeType !== undefined) return handshakeTypeName(record.handshakeType);
    if (record.contentType === CONTENT_TYPE.handshake) return 'EncryptedHandshake';
    return CONTENT_TYPE_NAMES[record.contentType] ?? `content ${record.contentType}`;
  });
  if (parsed.malformed) names.push('malformed');
  return names.join('+');
}
