// Hand-made DTLS 1.2 records for the fault tests: just the framing (RFC 6347 §4.1), contents arbitrary.
import { CONTENT_TYPE, HANDSHAKE_TYPE, type HandshakeTypeName } from '../../../lab/faults/dtls-records.ts';

export function record(contentType: number, epoch: number, fragment: Uint8Array, sequence = 0): Buffer {
  const header = Buffer.alloc(13);
  header[0] = contentType;
  header[1] = 0xfe;
  header[2] = 0xfd;
  header.writeUInt16BE(epoch, 3);
  header.writeUIntBE(sequence, 5, 6);
  header.writeUInt16BE(fragment.length, 11);
  return Buffer.concat([header, fragment]);
}

/** A plaintext (epoch 0) handshake record carrying one whole message of the given type. */
export function handshake(type: HandshakeTypeName, bodyLength = 20): Buffer {
  const message = Buffer.alloc(12 + bodyLength, 0x11);
  message[0] = HANDSHAKE_TYPE[type];
  message.writeUIntBE(bodyLength, 1, 3);
  message.writeUInt16BE(0, 4);
  message.writeUIntBE(0, 6, 3);
  message.writeUIntBE(bodyLength, 9, 3);
  return record(CONTENT_TYPE.handshake, 0, message);
}

export function applicationData(length = 40, fill = 0x5a): Buffer {
  return record(CONTENT_TYPE.application_data, 1, Buffer.alloc(length, fill));
}

export function changeCipherSpec(): Buffer {
  return record(CONTENT_TYPE.change_cipher_spec, 0, Buffer.from([1]));
}
