import { expect } from 'chai';
import { type ModemHarness, startModem } from './helpers/modem-harness.ts';

describe('modem framing', () => {
  let h: ModemHarness;
  beforeEach(async () => {
    h = await startModem();
  });
  afterEach(async () => {
    await h.close();
  });

  it('announces RDY first and echoes commands until ATE0', async () => {
    expect(h.at.all).to.equal('\r\nRDY\r\n');
    expect(await h.at.command('AT')).to.equal('AT\r\r\nOK\r\n');
    expect(await h.at.command('ATE0')).to.equal('ATE0\r\r\nOK\r\n');
    expect(await h.at.command('AT')).to.equal('\r\nOK\r\n');
    expect(await h.at.command('ATE1')).to.equal('\r\nOK\r\n');
    expect(await h.at.command('AT')).to.equal('AT\r\r\nOK\r\n');
  });

  it('frames info lines as CRLF-wrapped blocks before OK', async () => {
    await h.at.command('ATE0');
    expect(await h.at.command('ATI')).to.equal(
      '\r\nQuectel\r\nBG96\r\nRevision: BG96MAR02A07M1G\r\n\r\nOK\r\n',
    );
    expect(await h.at.command('AT+GMR')).to.equal('\r\nBG96MAR02A07M1G\r\n\r\nOK\r\n');
    expect(await h.at.command('AT+CMEE?')).to.equal('\r\n+CMEE: 1\r\n\r\nOK\r\n');
  });

  it('reports errors per AT+CMEE: plain, numeric and verbose', async () => {
    await h.at.command('ATE0');
    await h.at.command('AT+CMEE=0');
    expect(await h.at.command('AT+QIRD=5')).to.equal('\r\nERROR\r\n');
    await h.at.command('AT+CMEE=1');
    expect(await h.at.command('AT+QIRD=5')).to.equal('\r\n+CME ERROR: 567\r\n');
    expect(await h.at.command('AT+QFDEL="nothing.pem"')).to.equal('\r\n+CME ERROR: 405\r\n');
    await h.at.command('AT+CMEE=2');
    expect(await h.at.command('AT+QIRD=5')).to.equal('\r\n+CME ERROR: Socket has been closed\r\n');
    expect(await h.at.command('AT+QFDEL="nothing.pem"')).to.equal('\r\n+CME ERROR: File not found\r\n');
    expect(await h.at.command('AT+CMEE?')).to.equal('\r\n+CMEE: 2\r\n\r\nOK\r\n');
  });

  it('answers an unknown command with plain ERROR whatever AT+CMEE says', async () => {
    await h.at.command('ATE0');
    await h.at.command('AT+CMEE=2');
    expect(await h.at.command('AT+NOSUCH')).to.equal('\r\nERROR\r\n');
    expect(await h.at.command('AT+CMEE')).to.equal('\r\nERROR\r\n');
  });

  it('accepts CRLF and lone LF terminators without answering the LF twice', async () => {
    await h.at.command('ATE0');
    h.at.write('AT\r\nAT+CMEE?\nAT\r');
    await h.at.until('\r\nOK\r\n');
    await h.at.until('\r\n+CMEE: 1\r\n\r\nOK\r\n');
    await h.at.until('\r\nOK\r\n');
    expect(await h.at.command('AT')).to.equal('\r\nOK\r\n');
    expect(h.at.pending).to.equal('');
  });

  it('assembles a command split across writes and runs back-to-back commands in order', async () => {
    await h.at.command('ATE0');
    h.at.write('AT+C');
    h.at.write('SQ');
    h.at.write('\r');
    expect(await h.at.until('OK\r\n')).to.equal('\r\n+CSQ: 25,99\r\n\r\nOK\r\n');
    h.at.write('AT+CPIN?\rAT+CFUN?\rAT+GMI\r');
    expect(await h.at.until('Quectel\r\n\r\nOK\r\n')).to.equal(
      '\r\n+CPIN: READY\r\n\r\nOK\r\n\r\n+CFUN: 1\r\n\r\nOK\r\n\r\nQuectel\r\n\r\nOK\r\n',
    );
  });

  it('echoes a typed line as it arrives, before the command completes', async () => {
    h.at.write('AT+CS');
    expect(await h.at.until('AT+CS')).to.equal('AT+CS');
    h.at.write('Q\r');
    expect(await h.at.until('OK\r\n')).to.equal('Q\r\r\n+CSQ: 25,99\r\n\r\nOK\r\n');
  });

  it('ignores empty lines', async () => {
    await h.at.command('ATE0');
    h.at.write('\r\r\n  \r');
    expect(await h.at.command('AT')).to.equal('\r\nOK\r\n');
  });
});
