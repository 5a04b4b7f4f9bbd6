import { expect } from 'chai';
import { startUdpEcho, type UdpTestServer } from './helpers/echo-servers.ts';
import { type ModemHarness, startModem } from './helpers/modem-harness.ts';

describe('modem UDP sockets', () => {
  let h: ModemHarness;
  let echo: UdpTestServer;
  beforeEach(async () => {
    h = await startModem({}, true);
    echo = await startUdpEcho();
  });
  afterEach(async () => {
    await h.close();
    await echo.close();
  });

  it('UDP SERVICE: sends to an address per QISEND and reads the sender with each datagram', async () => {
    // The Mbed OS driver's exact open: "UDP SERVICE" on 127.0.0.1, remote port 0, a local port, buffer mode.
    expect(await h.at.command('AT+QIOPEN=1,2,"UDP SERVICE","127.0.0.1",0,50123,0')).to.equal('\r\nOK\r\n');
    expect(await h.at.until('+QIOPEN: 2,0\r\n')).to.equal('\r\n+QIOPEN: 2,0\r\n');
    h.at.write(`AT+QISEND=2,4,"127.0.0.1",${echo.port}\r`);
    expect(await h.at.until('> ')).to.equal('\r\n> ');
    h.at.write('ping');
    expect(await h.at.until('SEND OK\r\n')).to.equal('\r\nSEND OK\r\n');
    expect(await h.at.until('+QIURC: "recv",2\r\n')).to.equal('\r\n+QIURC: "recv",2\r\n');
    expect(await h.at.command('AT+QIRD=2')).to.equal(
      `\r\n+QIRD: 4,"127.0.0.1",${echo.port}\r\nping\r\n\r\nOK\r\n`,
    );
    expect(await h.at.command('AT+QIRD=2')).to.equal('\r\n+QIRD: 0\r\n\r\nOK\r\n');
    expect(await h.at.command('AT+QISTATE=1,2')).to.equal(
      '\r\n+QISTATE: 2,"UDP SERVICE","127.0.0.1",0,50123,2,1,0,0,"uart1"\r\n\r\nOK\r\n',
    );
  });

  it('UDP SERVICE keeps datagram boundaries, one datagram per QIRD', async () => {
    await h.at.command('AT+QIOPEN=1,0,"UDP SERVICE","127.0.0.1",0,0,0');
    await h.at.until('+QIOPEN: 0,0\r\n');
    await h.at.sendData(`AT+QISEND=0,3,"127.0.0.1",${echo.port}`, 'one');
    await h.at.until('+QIURC: "recv",0\r\n');
    await h.at.sendData(`AT+QISEND=0,3,"127.0.0.1",${echo.port}`, 'two');
    // Wait until both datagrams are in (QIRD=<id>,0 counts bytes), then read them one by one.
    for (let i = 0; i < 200 && !(await h.at.command('AT+QIRD=0,0')).includes('+QIRD: 6,0,6'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(await h.at.command('AT+QIRD=0'))
      .to.contain('+QIRD: 3,')
      .and.contain('\r\none\r\n');
    expect(await h.at.command('AT+QIRD=0'))
      .to.contain('+QIRD: 3,')
      .and.contain('\r\ntwo\r\n');
  });

  it('UDP SERVICE requires a literal loopback destination', async () => {
    await h.at.command('AT+QIOPEN=1,0,"UDP SERVICE","127.0.0.1",0,0,0');
    await h.at.until('+QIOPEN: 0,0\r\n');
    expect(await h.at.command('AT+QISEND=0,4')).to.equal('\r\n+CME ERROR: 552\r\n');
    expect(await h.at.command('AT+QISEND=0,4,"echo.example",7')).to.equal('\r\n+CME ERROR: 552\r\n');
    expect(await h.at.command('AT+QISEND=0,4,"192.0.2.1",7')).to.equal('\r\n+CME ERROR: 551\r\n');
  });

  it('"UDP" client: connected datagrams without addresses', async () => {
    await h.at.command(`AT+QIOPEN=1,1,"UDP","127.0.0.1",${echo.port},0,0`);
    expect(await h.at.until(/\+QIOPEN: 1,\d+\r\n/)).to.contain('+QIOPEN: 1,0');
    expect(await h.at.sendData('AT+QISEND=1,5', 'hello')).to.equal('\r\nSEND OK\r\n');
    await h.at.until('+QIURC: "recv",1\r\n');
    expect(await h.at.command('AT+QIRD=1,1500')).to.equal('\r\n+QIRD: 5\r\nhello\r\n\r\nOK\r\n');
    expect(await h.at.command('AT+QICLOSE=1')).to.equal('\r\nOK\r\n');
  });
});
