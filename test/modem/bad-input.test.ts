import { expect } from 'chai';
import { startTcpEcho, type TcpTestServer } from './helpers/echo-servers.ts';
import { type ModemHarness, startModem } from './helpers/modem-harness.ts';

/** Deterministic garbage (a 32-bit LCG), so a failure replays exactly. */
function garbage(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

describe('modem bad input', () => {
  let h: ModemHarness;
  let echo: TcpTestServer;
  beforeEach(async () => {
    h = await startModem({ sendDataTimeoutMs: 100 }, true);
    echo = await startTcpEcho();
  });
  afterEach(async () => {
    await h.close();
    await echo.close();
  });

  async function stillUsable(): Promise<void> {
    expect(await h.at.command('AT+CMEE?')).to.equal('\r\n+CMEE: 1\r\n\r\nOK\r\n');
  }

  it('answers malformed lines with ERROR or +CME ERROR and keeps working', async () => {
    const cases: [string, string][] = [
      ['AT+NOSUCH', '\r\nERROR\r\n'],
      ['HELLO', '\r\nERROR\r\n'],
      ['AT+QIOPEN=1,0,"TCP,"127.0.0.1",7', '\r\nERROR\r\n'],
      ['AT+QFUPL="unterminated,10', '\r\nERROR\r\n'],
      ['AT+QIOPEN=1,12,"TCP","127.0.0.1",7,0,0', '\r\n+CME ERROR: 552\r\n'],
      ['AT+QIOPEN=0,0,"TCP","127.0.0.1",7,0,0', '\r\n+CME ERROR: 552\r\n'],
      ['AT+QIOPEN=1,0,"SCTP","127.0.0.1",7,0,0', '\r\n+CME ERROR: 552\r\n'],
      ['AT+QIOPEN=1,0,"TCP","127.0.0.1",70000,0,0', '\r\n+CME ERROR: 552\r\n'],
      ['AT+QIOPEN=,,,,,,,,,,', '\r\n+CME ERROR: 552\r\n'],
      ['AT+QIOPEN=1,0,"TCP LISTENER","127.0.0.1",0,2020,0', '\r\n+CME ERROR: 555\r\n'],
      ['AT+QICLOSE=12', '\r\n+CME ERROR: 552\r\n'],
      ['AT+QIRD=-1', '\r\n+CME ERROR: 552\r\n'],
      ['AT+QIRD=99999999999', '\r\n+CME ERROR: 552\r\n'],
      ['AT+QISEND=0,1461', '\r\n+CME ERROR: 552\r\n'],
      ['AT+QISEND=0,99999', '\r\n+CME ERROR: 552\r\n'],
      ['AT+QISEND=0,0', '\r\n+CME ERROR: 567\r\n'],
      ['AT+QISENDEX=0,"4G"', '\r\n+CME ERROR: 552\r\n'],
      ['AT+CMEE=3', '\r\n+CME ERROR: 50\r\n'],
      ['ATE2', '\r\n+CME ERROR: 50\r\n'],
      ['AT+CMEE?x', '\r\nERROR\r\n'],
      ['AT+QIDNSGIP=1', '\r\n+CME ERROR: 552\r\n'],
      ['AT\x00\x01\x02', '\r\nERROR\r\n'],
    ];
    for (const [line, answer] of cases) {
      expect(await h.at.command(line), JSON.stringify(line)).to.equal(answer);
    }
    await stillUsable();
  });

  it('answers a 10 kB line with one ERROR', async () => {
    expect(await h.at.command(`AT+QICSGP=1,1,"${'x'.repeat(10_000)}"`)).to.equal('\r\nERROR\r\n');
    await stillUsable();
  });

  it('survives binary garbage: only ERRORs come back, then the modem answers normally', async () => {
    h.at.write(garbage(8192, 0x5eed));
    h.at.write('\rAT+CMEE?\r');
    const answers = await h.at.until('+CMEE: 1\r\n\r\nOK\r\n', 5000);
    const before = answers.slice(0, answers.lastIndexOf('\r\n+CMEE: 1'));
    expect(before).to.match(/^(\r\nERROR\r\n)+$/);
    await stillUsable();
  });

  it('times out a QISEND whose data never completes, sends nothing, and stays usable', async () => {
    await h.at.command(`AT+QIOPEN=1,0,"TCP","127.0.0.1",${echo.port},0,0`);
    await h.at.until('+QIOPEN: 0,0\r\n');
    h.at.write('AT+QISEND=0,10\r');
    await h.at.until('\r\n> ');
    h.at.write('short');
    expect(await h.at.until(/\r\n\+CME ERROR: \d+\r\n/)).to.equal('\r\n+CME ERROR: 569\r\n');
    expect(await h.at.command('AT+QISEND=0,0')).to.equal('\r\n+QISEND: 0,0,0\r\n\r\nOK\r\n');
    expect(await h.at.sendData('AT+QISEND=0,2', 'ok')).to.equal('\r\nSEND OK\r\n');
    await stillUsable();
  });

  it('times out a Ctrl-Z send that never ends and refuses one longer than 1460 bytes', async () => {
    await h.at.command(`AT+QIOPEN=1,0,"TCP","127.0.0.1",${echo.port},0,0`);
    await h.at.until('+QIOPEN: 0,0\r\n');
    h.at.write('AT+QISEND=0\r');
    await h.at.until('\r\n> ');
    h.at.write('no ctrl-z follows');
    expect(await h.at.until(/\r\n\+CME ERROR: \d+\r\n/)).to.equal('\r\n+CME ERROR: 569\r\n');
    h.at.write('AT+QISEND=0\r');
    await h.at.until('\r\n> ');
    h.at.write(Buffer.concat([Buffer.alloc(1461, 0x41), Buffer.from([0x1a])]));
    expect(await h.at.until(/\r\n\+CME ERROR: \d+\r\n/)).to.equal('\r\n+CME ERROR: 552\r\n');
    expect(await h.at.command('AT+QISEND=0,0')).to.equal('\r\n+QISEND: 0,0,0\r\n\r\nOK\r\n');
  });

  it('uses plain ERROR for every failure when AT+CMEE=0', async () => {
    await h.at.command('AT+CMEE=0');
    expect(await h.at.command('AT+QISEND=0,1461')).to.equal('\r\nERROR\r\n');
    expect(await h.at.command('AT+QFDEL="none"')).to.equal('\r\nERROR\r\n');
    expect(await h.at.command('AT+CMEE=9')).to.equal('\r\nERROR\r\n');
  });
});
