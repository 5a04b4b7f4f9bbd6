import { expect } from 'chai';
import { type ModemHarness, startModem } from './helpers/modem-harness.ts';

describe('modem network and PDP commands', () => {
  let h: ModemHarness;
  beforeEach(async () => {
    h = await startModem();
    await h.at.command('ATE0');
  });
  afterEach(async () => {
    await h.close();
  });

  it('answers SIM, signal and registration queries of a registered modem', async () => {
    expect(await h.at.command('AT+CPIN?')).to.equal('\r\n+CPIN: READY\r\n\r\nOK\r\n');
    expect(await h.at.command('AT+CSQ')).to.equal('\r\n+CSQ: 25,99\r\n\r\nOK\r\n');
    expect(await h.at.command('AT+CREG?')).to.equal('\r\n+CREG: 0,1\r\n\r\nOK\r\n');
    expect(await h.at.command('AT+CEREG?')).to.equal('\r\n+CEREG: 0,1\r\n\r\nOK\r\n');
    expect(await h.at.command('AT+CEREG=2')).to.equal('\r\nOK\r\n');
    expect(await h.at.command('AT+CEREG?')).to.equal('\r\n+CEREG: 2,1,"1A2B","01A2B3C4",8\r\n\r\nOK\r\n');
    expect(await h.at.command('AT+CFUN?')).to.equal('\r\n+CFUN: 1\r\n\r\nOK\r\n');
    expect(await h.at.command('AT+CGSN')).to.equal('\r\n866425030000001\r\n\r\nOK\r\n');
  });

  it('AT+CFUN=0 drops registration, contexts and sockets; CFUN=1 registers again', async () => {
    await h.at.command('AT+CREG=1');
    await h.at.command('AT+QIACT=1');
    h.at.write('AT+CFUN=0\r');
    expect(await h.at.until('+CREG: 0\r\n')).to.equal(
      '\r\nOK\r\n\r\n+QIURC: "pdpdeact",1\r\n\r\n+CREG: 0\r\n',
    );
    expect(await h.at.command('AT+CSQ')).to.equal('\r\n+CSQ: 99,99\r\n\r\nOK\r\n');
    expect(await h.at.command('AT+QIACT?')).to.equal('\r\nOK\r\n');
    expect(await h.at.command('AT+QIACT=1')).to.equal('\r\n+CME ERROR: 561\r\n');
    h.at.write('AT+CFUN=1\r');
    expect(await h.at.until('+CREG: 1\r\n')).to.equal('\r\nOK\r\n\r\n+CREG: 1\r\n');
    expect(await h.at.command('AT+CFUN=2')).to.equal('\r\n+CME ERROR: 50\r\n');
  });

  it('AT+CFUN=1,1 reboots: OK, then RDY with echo back on; UFS files survive', async () => {
    h.at.write('AT+QFUPL="keep.pem",1\r');
    await h.at.until('CONNECT\r\n');
    h.at.write('x');
    await h.at.until('OK\r\n');
    expect(await h.at.command('AT+CFUN=1,1')).to.equal('\r\nOK\r\n');
    expect(await h.at.until('\r\nRDY\r\n')).to.equal('\r\nRDY\r\n');
    expect(await h.at.command('AT')).to.equal('AT\r\r\nOK\r\n');
    expect(await h.at.command('AT+QFLST')).to.contain('+QFLST: "keep.pem",1');
  });

  it('configures, activates, lists and deactivates PDP contexts', async () => {
    expect(await h.at.command('AT+QICSGP=1,1,"internet","user","pw",1')).to.equal('\r\nOK\r\n');
    expect(await h.at.command('AT+QICSGP=1')).to.equal(
      '\r\n+QICSGP: 1,"internet","user","pw",1\r\n\r\nOK\r\n',
    );
    expect(await h.at.command('AT+QICSGP=1,1,"internet","user"')).to.equal('\r\n+CME ERROR: 552\r\n');
    expect(await h.at.command('AT+QIACT?')).to.equal('\r\nOK\r\n');
    expect(await h.at.command('AT+QIACT=1')).to.equal('\r\nOK\r\n');
    expect(await h.at.command('AT+QIACT=1')).to.equal('\r\nOK\r\n');
    expect(await h.at.command('AT+QIACT?')).to.equal('\r\n+QIACT: 1,1,1,"127.0.0.1"\r\n\r\nOK\r\n');
    expect(await h.at.command('AT+QIACT=17')).to.equal('\r\n+CME ERROR: 552\r\n');
    expect(await h.at.command('AT+QIDEACT=1')).to.equal('\r\nOK\r\n');
    expect(await h.at.command('AT+QIACT?')).to.equal('\r\nOK\r\n');
  });

  it('answers test forms', async () => {
    expect(await h.at.command('AT+CMEE=?')).to.equal('\r\n+CMEE: (0-2)\r\n\r\nOK\r\n');
    expect(await h.at.command('AT+CFUN=?')).to.equal('\r\n+CFUN: (0,1,4),(0-1)\r\n\r\nOK\r\n');
    expect(await h.at.command('AT+QIOPEN=?')).to.match(/^\r\n\+QIOPEN: \(1-16\),\(0-11\),/);
  });
});
