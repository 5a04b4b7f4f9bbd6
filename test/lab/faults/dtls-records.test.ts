import { expect } from 'chai';
import {
  CONTENT_TYPE,
  describeDatagram,
  HANDSHAKE_TYPE,
  isClientHello,
  parseDtlsDatagram,
} from '../../../lab/faults/dtls-records.ts';
import { applicationData, changeCipherSpec, handshake, record } from './dtls-datagrams.ts';

describe('lab/faults: DTLS record parsing', () => {
  it('finds every record of a packed datagram, with handshake types of plaintext records', () => {
    const datagram = Buffer.concat([
      handshake('ServerHello'),
      handshake('Certificate', 300),
      changeCipherSpec(),
    ]);
    const parsed = parseDtlsDatagram(datagram);
    expect(parsed.malformed).to.equal(false);
    expect(parsed.records.map((r) => r.handshakeType)).to.deep.equal([
      HANDSHAKE_TYPE.ServerHello,
      HANDSHAKE_TYPE.Certificate,
      undefined,
    ]);
    expect(parsed.records[2]!.contentType).to.equal(CONTENT_TYPE.change_cipher_spec);
    expect(parsed.records[1]!.offset).to.equal(13 + 12 + 20);
    expect(describeDatagram(parsed)).to.equal('ServerHello+Certificate+ChangeCipherSpec');
  });

  it('an encrypted handshake record (epoch 1) has no visible type', () => {
    const parsed = parseDtlsDatagram(record(CONTENT_TYPE.handshake, 1, Buffer.alloc(40)));
    expect(parsed.records[0]!.handshakeType).to.equal(undefined);
    expect(describeDatagram(parsed)).to.equal('EncryptedHandshake');
  });

  it('truncated, garbage and empty datagrams: what parses, then malformed; never a throw', () => {
    const whole = Buffer.concat([applicationData(), applicationData()]);
    const cut = parseDtlsDatagram(whole.subarray(0, whole.length - 5));
    expect(cut.records).to.have.length(1);
    expect(cut.malformed).to.equal(true);
    expect(parseDtlsDatagram(Buffer.from('GET / HTTP/1.1\r\n\r\n')).malformed).to.equal(true);
    expect(parseDtlsDatagram(Buffer.alloc(5)).malformed).to.equal(true);
    expect(parseDtlsDatagram(Buffer.alloc(0))).to.deep.equal({ records: [], malformed: false });
    expect(describeDatagram(parseDtlsDatagram(Buffer.from([1, 2, 3])))).to.equal('malformed');
  });

  it('isClientHello: only a datagram that starts with a plaintext ClientHello', () => {
    expect(isClientHello(handshake('ClientHello'))).to.equal(true);
    expect(isClientHello(handshake('ServerHello'))).to.equal(false);
    expect(isClientHello(applicationData())).to.equal(false);
    expect(isClientHello(handshake('ClientHello').subarray(0, 10))).to.equal(false);
  });
});
