import { expect } from 'chai';
import {
  classifyDatagram,
  emptyCategoryBytes,
  TlsStreamClassifier,
} from '../../../modem/air/tls-record-classifier.ts';

const record = (type: number, length: number) =>
  Buffer.concat([Buffer.from([type, 3, 3, length >> 8, length & 0xff]), Buffer.alloc(length, 7)]);

describe('modem/air: TLS record classifier', () => {
  it('sorts a stream by record type, with records split anywhere across chunks', () => {
    const stream = Buffer.concat([
      record(22, 300),
      record(20, 1),
      record(22, 40),
      record(23, 1000),
      record(21, 26),
    ]);
    for (const cut of [1, 3, 5, 7, 301, 1000]) {
      const classifier = new TlsStreamClassifier();
      for (let at = 0; at < stream.length; at += cut) classifier.push(stream.subarray(at, at + cut));
      expect(classifier.bytes, `chunks of ${cut}`).to.deep.equal({
        handshake: 305 + 6 + 45,
        application: 1005,
        alert: 31,
      });
    }
  });

  it('counts a stream that does not start like TLS as application data throughout', () => {
    const classifier = new TlsStreamClassifier();
    classifier.push(Buffer.from('GET / HTTP/1.1\r\n'));
    classifier.push(record(22, 10));
    expect(classifier.bytes).to.deep.equal({ handshake: 0, application: 16 + 15, alert: 0 });
  });

  it('sorts the DTLS records of one datagram; trailing junk is application data', () => {
    const dtls = (type: number, length: number) =>
      Buffer.concat([
        Buffer.from([type, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 1, length >> 8, length & 0xff]),
        Buffer.alloc(length),
      ]);
    const into = emptyCategoryBytes();
    classifyDatagram(Buffer.concat([dtls(22, 100), dtls(20, 1), dtls(23, 50), Buffer.from([1, 2, 3])]), into);
    expect(into).to.deep.equal({ handshake: 113 + 14, application: 63 + 3, alert: 0 });
  });
});
