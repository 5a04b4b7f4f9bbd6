import { expect } from 'chai';
import { type ModemHarness, startModem } from './helpers/modem-harness.ts';

describe('modem AT+QSSLCFG', () => {
  let h: ModemHarness;
  beforeEach(async () => {
    h = await startModem({}, true);
  });
  afterEach(async () => {
    await h.close();
  });

  const query = (key: string, ctx = 0) => h.at.command(`AT+QSSLCFG="${key}",${ctx}`);

  it('reports the defaults of a fresh context', async () => {
    expect(await query('sslversion')).to.equal('\r\n+QSSLCFG: "sslversion",0,4\r\n\r\nOK\r\n');
    expect(await query('ciphersuite')).to.equal('\r\n+QSSLCFG: "ciphersuite",0,0XFFFF\r\n\r\nOK\r\n');
    expect(await query('seclevel')).to.equal('\r\n+QSSLCFG: "seclevel",0,0\r\n\r\nOK\r\n');
    expect(await query('cacert')).to.equal('\r\n+QSSLCFG: "cacert",0,""\r\n\r\nOK\r\n');
    expect(await query('ignorelocaltime')).to.equal('\r\n+QSSLCFG: "ignorelocaltime",0,0\r\n\r\nOK\r\n');
    expect(await query('negotiatetime')).to.equal('\r\n+QSSLCFG: "negotiatetime",0,300\r\n\r\nOK\r\n');
    expect(await query('sni')).to.equal('\r\n+QSSLCFG: "sni",0,0\r\n\r\nOK\r\n');
    expect(await query('checkhost')).to.equal('\r\n+QSSLCFG: "checkhost",0,0\r\n\r\nOK\r\n');
    expect(await query('session')).to.equal('\r\n+QSSLCFG: "session",0,0\r\n\r\nOK\r\n');
  });

  it('accepts the exact commands of the Mbed OS driver and reads them back', async () => {
    for (const line of [
      'AT+QSSLCFG="seclevel",0,1',
      'AT+QSSLCFG="sslversion",0,4',
      'AT+QSSLCFG="ciphersuite",0,0xFFFF',
      'AT+QSSLCFG="checkhost",0,"echo.tlssim.test"',
      'AT+QSSLCFG="cacert",0,"cacert.pem"',
      'AT+QSSLCFG="clientcert",0,"clcert.pem"',
      'AT+QSSLCFG="clientkey",0,"client.key"',
    ]) {
      expect(await h.at.command(line), line).to.equal('\r\nOK\r\n');
    }
    expect(await query('seclevel')).to.contain('"seclevel",0,1');
    expect(await query('checkhost')).to.contain('"checkhost",0,"echo.tlssim.test"');
    expect(await query('clientkey')).to.contain('"clientkey",0,"client.key"');
  });

  it('takes both checkhost forms, cipher lists, and keeps contexts apart', async () => {
    expect(await h.at.command('AT+QSSLCFG="checkhost",2,1')).to.equal('\r\nOK\r\n');
    expect(await query('checkhost', 2)).to.contain('"checkhost",2,1\r\n');
    expect(await query('checkhost', 0)).to.contain('"checkhost",0,0\r\n');
    expect(await h.at.command('AT+QSSLCFG="ciphersuite",1,"0X0035;0xc02f"')).to.equal('\r\nOK\r\n');
    expect(await query('ciphersuite', 1)).to.contain('"ciphersuite",1,0X0035;0XC02F\r\n');
    expect(await h.at.command('AT+QSSLCFG="SNI",5,1')).to.equal('\r\nOK\r\n');
    expect(await query('sni', 5)).to.contain('"sni",5,1\r\n');
  });

  it('refuses unknown keys, contexts out of range and bad values with +CME ERROR', async () => {
    for (const line of [
      'AT+QSSLCFG="nosuchkey",0,1',
      'AT+QSSLCFG="seclevel",6,1',
      'AT+QSSLCFG="seclevel",0,3',
      'AT+QSSLCFG="sslversion",0,5',
      'AT+QSSLCFG="negotiatetime",0,9',
      'AT+QSSLCFG="negotiatetime",0,301',
      'AT+QSSLCFG="ciphersuite",0,0x1234',
      'AT+QSSLCFG="ciphersuite",0,"0xFFFF;0x0035"',
      'AT+QSSLCFG="cacert",0,"RAM:ca.pem"',
      'AT+QSSLCFG="checkhost",0,"bad host"',
      'AT+QSSLCFG="seclevel"',
      'AT+QSSLCFG="seclevel",0,1,2',
    ]) {
      expect(await h.at.command(line), line).to.equal('\r\n+CME ERROR: 552\r\n');
    }
    expect(await h.at.command('AT+QSSLCFG="seclevel,0,1')).to.equal('\r\nERROR\r\n');
  });

  it('lists its keys in the test form', async () => {
    const answer = await h.at.command('AT+QSSLCFG=?');
    for (const key of ['sslversion', 'ciphersuite', 'cacert', 'seclevel', 'checkhost', 'session', 'sni']) {
      expect(answer).to.contain(`+QSSLCFG: "${key}",(0-5),`);
    }
  });
});
