import { expect } from 'chai';
import { startTcpEcho } from './helpers/echo-servers.ts';
import { type ModemHarness, startModem } from './helpers/modem-harness.ts';

describe('modem DNS (AT+QIDNSGIP)', () => {
  let h: ModemHarness;
  beforeEach(async () => {
    h = await startModem({ hosts: { 'Echo.TLSSIM.test': '127.0.0.1', 'v6.tlssim.test': '::1' } }, true);
  });
  afterEach(async () => {
    await h.close();
  });

  async function lookup(name: string): Promise<string> {
    expect(await h.at.command(`AT+QIDNSGIP=1,"${name}"`)).to.equal('\r\nOK\r\n');
    return h.at.until(/\+QIURC: "dnsgip",(0,\d+,\d+\r\n\r\n\+QIURC: "dnsgip","[^"]*"|\d+)\r\n/);
  }

  it('resolves literals, localhost and the hosts table (case-insensitive) with the two URCs', async () => {
    expect(await lookup('127.0.0.1')).to.equal(
      '\r\n+QIURC: "dnsgip",0,1,600\r\n\r\n+QIURC: "dnsgip","127.0.0.1"\r\n',
    );
    expect(await lookup('localhost')).to.contain('"dnsgip","127.0.0.1"');
    expect(await lookup('echo.tlssim.test')).to.contain('"dnsgip","127.0.0.1"');
    expect(await lookup('V6.tlssim.test')).to.contain('"dnsgip","::1"');
  });

  it('fails names outside the table with 565 and never asks the system resolver by default', async () => {
    expect(await lookup('example.com')).to.equal('\r\n+QIURC: "dnsgip",565\r\n');
    expect(h.log.join('\n')).to.contain('example.com is not in the hosts table');
    expect(await h.at.command('AT+QIGETERROR')).to.contain('+QIGETERROR: 565,DNS parse failed');
  });

  it('reports an inactive context and refuses an empty name', async () => {
    expect(await h.at.command('AT+QIDNSGIP=3,"localhost"')).to.equal('\r\nOK\r\n');
    expect(await h.at.until(/"dnsgip",\d+\r\n/)).to.equal('\r\n+QIURC: "dnsgip",561\r\n');
    expect(await h.at.command('AT+QIDNSGIP=1,""')).to.equal('\r\n+CME ERROR: 552\r\n');
  });

  it('lets AT+QIOPEN connect by a hosts-table name', async () => {
    const echo = await startTcpEcho();
    try {
      await h.at.command(`AT+QIOPEN=1,0,"TCP","echo.tlssim.test",${echo.port},0,0`);
      expect(await h.at.until(/\+QIOPEN: 0,\d+\r\n/)).to.contain('+QIOPEN: 0,0');
      expect(await h.at.command('AT+QISTATE=1,0')).to.contain('"TCP","echo.tlssim.test"');
    } finally {
      await echo.close();
    }
  });
});
