import { expect } from 'chai';
import { startTcpEcho, type TcpTestServer } from './helpers/echo-servers.ts';
import { type ModemHarness, startModem, waitForLog } from './helpers/modem-harness.ts';

describe('modem URC placement', () => {
  let h: ModemHarness;
  let echo: TcpTestServer;
  beforeEach(async () => {
    h = await startModem({ uploadTimeoutMs: 2000 }, true);
    echo = await startTcpEcho();
    for (const id of [0, 1]) {
      await h.at.command(`AT+QIOPEN=1,${id},"TCP","127.0.0.1",${echo.port},0,0`);
      await h.at.until(`+QIOPEN: ${id},0\r\n`);
      while (echo.connections.length <= id) await new Promise((resolve) => setTimeout(resolve, 2));
    }
  });
  afterEach(async () => {
    await h.close();
    await echo.close();
  });

  it('holds a URC raised during a QISEND data phase until after SEND OK', async () => {
    h.at.write('AT+QISEND=0,4\r');
    await h.at.until('\r\n> ');
    echo.connections[1].write('news');
    await waitForLog(h, 'urc +QIURC: "recv",1');
    h.at.write('data');
    expect(await h.at.until('"recv",1\r\n')).to.equal('\r\nSEND OK\r\n\r\n+QIURC: "recv",1\r\n');
  });

  it('holds a URC raised during a QFUPL upload until after its OK', async () => {
    h.at.write('AT+QFUPL="x.pem",3\r');
    await h.at.until('CONNECT\r\n');
    echo.connections[1].write('news');
    await waitForLog(h, 'urc +QIURC: "recv",1');
    h.at.write('abc');
    expect(await h.at.until('"recv",1\r\n')).to.match(
      /^\r\n\+QFUPL: 3,[0-9a-f]+\r\n\r\nOK\r\n\r\n\+QIURC: "recv",1\r\n$/,
    );
  });

  it('writes a URC at once when the modem is idle', async () => {
    echo.connections[1].write('news');
    expect(await h.at.until('"recv",1\r\n')).to.equal('\r\n+QIURC: "recv",1\r\n');
    expect(await h.at.command('ATI')).to.equal(
      '\r\nQuectel\r\nBG96\r\nRevision: BG96MAR02A07M1G\r\n\r\nOK\r\n',
    );
  });
});
