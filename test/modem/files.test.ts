import { expect } from 'chai';
import { qfuplChecksum } from '../../modem/ufs/checksum.ts';
import { type ModemHarness, startModem } from './helpers/modem-harness.ts';

const PEM = '-----BEGIN CERTIFICATE-----\r\nMIIB\nAAAA\r\n-----END CERTIFICATE-----\n';

describe('modem UFS files (AT+QFUPL/QFDEL/QFLST)', () => {
  let h: ModemHarness;
  beforeEach(async () => {
    h = await startModem({ uploadTimeoutMs: 100 }, true);
  });
  afterEach(async () => {
    await h.close();
  });

  it('uploads exactly <size> bytes after CONNECT and answers size and checksum', async () => {
    h.at.write(`AT+QFUPL="cacert.pem",${PEM.length}\r`);
    expect(await h.at.until('CONNECT\r\n')).to.equal('\r\nCONNECT\r\n');
    h.at.write(PEM);
    expect(await h.at.until('OK\r\n')).to.equal(
      `\r\n+QFUPL: ${PEM.length},${qfuplChecksum(Buffer.from(PEM))}\r\n\r\nOK\r\n`,
    );
    expect(h.modem.files.read('cacert.pem')?.toString('latin1')).to.equal(PEM);
    expect(await h.at.command('AT+QFLST="*"')).to.equal(
      `\r\n+QFLST: "cacert.pem",${PEM.length}\r\n\r\nOK\r\n`,
    );
    expect(await h.at.command('AT+QFLST="UFS:cacert.pem"')).to.contain('+QFLST: "cacert.pem"');
  });

  it('refuses an existing name (407) and deletes (405 when absent), as the Mbed driver expects', async () => {
    h.at.write('AT+QFUPL="a.pem",2\r');
    await h.at.until('CONNECT\r\n');
    h.at.write('ab');
    await h.at.until('OK\r\n');
    expect(await h.at.command('AT+QFUPL="a.pem",2')).to.equal('\r\n+CME ERROR: 407\r\n');
    expect(await h.at.command('AT+QFDEL="a.pem"')).to.equal('\r\nOK\r\n');
    expect(await h.at.command('AT+QFDEL="a.pem"')).to.equal('\r\n+CME ERROR: 405\r\n');
    expect(await h.at.command('AT+QFLST="*"')).to.equal('\r\nOK\r\n');
  });

  it('times out an upload whose data never completes, keeping nothing', async () => {
    h.at.write('AT+QFUPL="client.key",100\r');
    await h.at.until('CONNECT\r\n');
    h.at.write('only forty bytes of the promised hundred');
    expect(await h.at.until(/\r\n\+CME ERROR: \d+\r\n/)).to.equal('\r\n+CME ERROR: 421\r\n');
    expect(await h.at.command('AT+QFLST="*"')).to.equal('\r\nOK\r\n');
    expect(h.modem.files.has('client.key')).to.equal(false);
    expect(await h.at.command('AT')).to.equal('\r\nOK\r\n');
  });

  it('treats bytes beyond <size> as the next command line (a wrong length is visible at once)', async () => {
    h.at.write('AT+QFUPL="b.pem",3\r');
    await h.at.until('CONNECT\r\n');
    h.at.write('abcdef\r');
    expect(await h.at.until(/\+QFUPL: 3,[0-9a-f]+\r\n\r\nOK\r\n/)).to.contain('+QFUPL: 3,');
    expect(await h.at.until('\r\nERROR\r\n')).to.equal('\r\nERROR\r\n');
    expect(h.modem.files.read('b.pem')?.toString()).to.equal('abc');
  });

  it('acknowledges every 1024 bytes with A in ackmode 1', async () => {
    h.at.write('AT+QFUPL="big.bin",2500,5,1\r');
    await h.at.until('CONNECT\r\n');
    h.at.write(Buffer.alloc(1024, 1));
    expect(await h.at.until('A')).to.equal('A');
    h.at.write(Buffer.alloc(1024, 2));
    expect(await h.at.until('A')).to.equal('A');
    h.at.write(Buffer.alloc(452, 3));
    expect(await h.at.until('OK\r\n')).to.match(/^\r\n\+QFUPL: 2500,[0-9a-f]+\r\n\r\nOK\r\n$/);
  });

  it('rejects bad names, sizes beyond free space and a missing size', async () => {
    expect(await h.at.command('AT+QFUPL="RAM:x.pem",10')).to.equal('\r\n+CME ERROR: 406\r\n');
    expect(await h.at.command('AT+QFUPL="x.pem",99999999')).to.equal('\r\n+CME ERROR: 400\r\n');
    expect(await h.at.command('AT+QFUPL="x.pem"')).to.equal('\r\n+CME ERROR: 400\r\n');
    expect(await h.at.command('AT+QFUPL="x.pem",0')).to.equal('\r\n+CME ERROR: 400\r\n');
    expect(await h.at.command('AT+QFLST="missing.pem"')).to.equal('\r\n+CME ERROR: 405\r\n');
  });

  it('refuses an upload that fits the store but not its free space with 420, and keeps the rest', async () => {
    // A store of 100 bytes: 60 stored, so 41 fit the parameter range (1..capacity) but not the space.
    await h.close();
    h = await startModem({ uploadTimeoutMs: 100, ufsCapacity: 100 }, true);
    h.at.write('AT+QFUPL="a.pem",60\r');
    await h.at.until('CONNECT\r\n');
    h.at.write(Buffer.alloc(60, 0x61));
    await h.at.until('OK\r\n');
    expect(await h.at.command('AT+QFUPL="b.pem",41')).to.equal('\r\n+CME ERROR: 420\r\n');
    expect(h.modem.files.has('b.pem')).to.equal(false);
    expect(await h.at.command('AT+QFLDS="UFS"')).to.equal('\r\n+QFLDS: 40,100\r\n\r\nOK\r\n');
    // Exactly the free space still fits.
    h.at.write('AT+QFUPL="b.pem",40\r');
    expect(await h.at.until('CONNECT\r\n')).to.equal('\r\nCONNECT\r\n');
    h.at.write(Buffer.alloc(40, 0x62));
    expect(await h.at.until('OK\r\n')).to.match(/\+QFUPL: 40,/);
  });

  it('reports free and total space with AT+QFLDS', async () => {
    expect(await h.at.command('AT+QFLDS="UFS"')).to.equal(
      `\r\n+QFLDS: ${1024 * 1024},${1024 * 1024}\r\n\r\nOK\r\n`,
    );
  });
});
