import { expect } from 'chai';
import { qfuplChecksum } from '../../../modem/ufs/checksum.ts';
import { FileStore } from '../../../modem/ufs/file-store.ts';

describe('modem/ufs', () => {
  it('checksums as the XOR of big-endian 16-bit words, an odd last byte padded low', () => {
    expect(qfuplChecksum(Buffer.alloc(0))).to.equal('0');
    expect(qfuplChecksum(Buffer.from([0x12, 0x34]))).to.equal('1234');
    expect(qfuplChecksum(Buffer.from([0x12, 0x34, 0x12, 0x30]))).to.equal('4');
    expect(qfuplChecksum(Buffer.from([0x12, 0x34, 0xab]))).to.equal((0x1234 ^ 0xab00).toString(16));
  });

  it('treats UFS:x and x as one file and refuses names with other prefixes or paths', () => {
    expect(FileStore.normalize('UFS:cacert.pem')).to.equal('cacert.pem');
    expect(FileStore.normalize('cacert.pem')).to.equal('cacert.pem');
    expect(FileStore.normalize('RAM:x')).to.equal(undefined);
    expect(FileStore.normalize('../x')).to.equal(undefined);
    expect(FileStore.normalize('')).to.equal(undefined);
  });
});
