import { expect } from 'chai';
import { PemStream } from '../../../lab/trace/pem-stream.ts';
import { findPemBlocks } from '../../../lab/trace/secret-scan.ts';

/** PEM lines, near misses, and BEGIN lines that run into each other. */
const TEXT = Buffer.from(
  [
    'hello -----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----',
    '---- -----BEGIN -----BEGIN CERTIFICATE-----BEGIN X509 CERTIFICATE-----',
    '-----BEGIN lower-----  -----BEGIN PUBLIC KEY----- -----BEGIN EC PRIVATE KEY---',
    '-----BEGIN ENCRYPTED PRIVATE KEY-----\n-----BEGIN TRUSTED CERTIFICATE----- -----BEG',
  ].join('\n'),
  'latin1',
);

function streamed(pieces: Buffer[]) {
  const pem = new PemStream();
  return pieces.flatMap((piece) => pem.feed(piece));
}

describe('PemStream', () => {
  const whole = findPemBlocks(TEXT);

  it('finds what findPemBlocks finds in the whole text', () => {
    expect(whole.map((b) => b.label)).to.deep.equal([
      'RSA PRIVATE KEY',
      'CERTIFICATE',
      'ENCRYPTED PRIVATE KEY',
      'TRUSTED CERTIFICATE',
    ]);
    expect(streamed([TEXT])).to.deep.equal(whole);
  });

  it('finds the same blocks at the same offsets however the stream is cut', () => {
    for (let cut = 1; cut < TEXT.length; cut++)
      expect(streamed([TEXT.subarray(0, cut), TEXT.subarray(cut)]), `cut at ${cut}`).to.deep.equal(whole);
    expect(streamed([...TEXT].map((b) => Buffer.of(b)))).to.deep.equal(whole);
  });

  it('keeps only the tail where a BEGIN line may still be starting', () => {
    const pem = new PemStream();
    pem.feed(Buffer.alloc(100_000, 0x41));
    expect(pem.decidedTo).to.equal(100_000);
    pem.feed(Buffer.from('xx-----BEGIN RSA'));
    expect(pem.decidedTo).to.equal(100_002);
    expect(pem.feed(Buffer.from(' PRIVATE KEY-----'))).to.deep.equal([
      { kind: 'private-key', label: 'RSA PRIVATE KEY', offset: 100_002 },
    ]);
    expect(pem.decidedTo).to.equal(100_033);
  });
});
