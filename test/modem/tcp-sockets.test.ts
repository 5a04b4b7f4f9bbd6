import { createServer } from 'node:net';
import { expect } from 'chai';
import { startTcpEcho, type TcpTestServer } from './helpers/echo-servers.ts';
import { type ModemHarness, startModem, waitForLog } from './helpers/modem-harness.ts';

/** A loopback port with nothing listening (bound, read, released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('modem TCP sockets (QIOPEN/QISEND/QIRD/QICLOSE)', () => {
  let h: ModemHarness;
  let echo: TcpTestServer;
  beforeEach(async () => {
    h = await startModem({}, true);
    echo = await startTcpEcho();
  });
  afterEach(async () => {
    await h.close();
    await echo.close();
  });

  async function open(id = 0): Promise<void> {
    expect(await h.at.command(`AT+QIOPEN=1,${id},"TCP","127.0.0.1",${echo.port},0,0`)).to.equal('\r\nOK\r\n');
    expect(await h.at.until(`+QIOPEN: ${id},`)).to.equal(`\r\n+QIOPEN: ${id},`);
    expect(await h.at.until('\r\n')).to.equal('0\r\n');
  }

  it('round-trips bytes through a real echo server, the exact Mbed OS exchange', async () => {
    await open(0);
    expect(await h.at.command('AT+QISEND=0,0')).to.equal('\r\n+QISEND: 0,0,0\r\n\r\nOK\r\n');
    h.at.write('AT+QISEND=0,5\r');
    expect(await h.at.until('> ')).to.equal('\r\n> ');
    h.at.write('hello');
    expect(await h.at.until('SEND OK\r\n')).to.equal('\r\nSEND OK\r\n');
    expect(await h.at.until('\r\n+QIURC: "recv",0\r\n')).to.equal('\r\n+QIURC: "recv",0\r\n');
    expect(await h.at.command('AT+QIRD=0,1500')).to.equal('\r\n+QIRD: 5\r\nhello\r\n\r\nOK\r\n');
    expect(await h.at.command('AT+QIRD=0,1500')).to.equal('\r\n+QIRD: 0\r\n\r\nOK\r\n');
    expect(await h.at.command('AT+QIRD=0,0')).to.equal('\r\n+QIRD: 5,5,0\r\n\r\nOK\r\n');
    expect(await h.at.command('AT+QISEND=0,0')).to.equal('\r\n+QISEND: 5,5,0\r\n\r\nOK\r\n');
    expect(await h.at.command('AT+QICLOSE=0')).to.equal('\r\nOK\r\n');
    expect(await h.at.command('AT+QISTATE?')).to.equal('\r\nOK\r\n');
  });

  it('carries binary payloads with CR, LF, NUL, Ctrl-Z and OK inside, byte for byte', async () => {
    await open(0);
    const payload = Buffer.from([0x0d, 0x0a, 0x4f, 0x4b, 0x0d, 0x0a, 0x00, 0x1a, 0x1b, 0xff, 0x3e, 0x20]);
    expect(await h.at.sendData(`AT+QISEND=0,${payload.length}`, payload)).to.equal('\r\nSEND OK\r\n');
    await h.at.until('+QIURC: "recv",0\r\n');
    await untilUnread(h, 0, payload.length);
    h.at.write('AT+QIRD=0,1500\r');
    const expected = Buffer.concat([
      Buffer.from(`\r\n+QIRD: ${payload.length}\r\n`),
      payload,
      Buffer.from('\r\n\r\nOK\r\n'),
    ]).toString('latin1');
    expect(await h.at.until(expected)).to.equal(expected);
  });

  it('reads partially with <len> and reports the counters of AT+QIRD=<id>,0', async () => {
    await open(0);
    await h.at.sendData('AT+QISEND=0,10', '0123456789');
    await h.at.until('+QIURC: "recv",0\r\n');
    await waitForLog(h, '> SEND OK');
    // The echo may arrive in pieces; read until all ten bytes are in.
    let got = '';
    while (got.length < 10) {
      const reply = await h.at.command('AT+QIRD=0,4');
      const m = /\+QIRD: (\d+)\r\n/.exec(reply);
      got +=
        m && m[1] !== '0' ? reply.slice(m.index + m[0].length, m.index + m[0].length + Number(m[1])) : '';
      expect(Number(m?.[1])).to.be.at.most(4);
    }
    expect(got).to.equal('0123456789');
    expect(await h.at.command('AT+QIRD=0,0')).to.equal('\r\n+QIRD: 10,10,0\r\n\r\nOK\r\n');
  });

  it('reports "recv" once per empty-to-data transition, not again until the buffer is read empty', async () => {
    await open(0);
    const server = () => echo.connections[echo.connections.length - 1];
    await h.at.sendData('AT+QISEND=0,1', 'a');
    await h.at.until('+QIURC: "recv",0\r\n');
    server().write('more');
    server().write('and more');
    expect(await h.at.command('AT+QIRD=0,0')).to.match(/\+QIRD: (\d+),0,\1\r\n/);
    // Wait until all 13 bytes are buffered: no second URC may have been sent meanwhile.
    await untilUnread(h, 0, 13);
    expect(h.at.all.split('+QIURC: "recv",0').length - 1).to.equal(1);
    expect(await h.at.command('AT+QIRD=0,1500')).to.equal('\r\n+QIRD: 13\r\namoreand more\r\n\r\nOK\r\n');
    server().write('again');
    expect(await h.at.until('+QIURC: "recv",0\r\n')).to.equal('\r\n+QIURC: "recv",0\r\n');
  });

  it('reports "closed" only after the read that drains the buffer (default policy)', async () => {
    await open(0);
    const server = await waitForConnection(echo);
    server.end('bye');
    await h.at.until('+QIURC: "recv",0\r\n');
    await waitForLog(h, 'socket 0: peer closed');
    // An idle modem writes a URC at once, so a clean answer here proves "closed" was held back.
    expect(await h.at.command('AT+QISTATE=1,0')).to.match(
      /^\r\n\+QISTATE: 0,"TCP","127\.0\.0\.1",\d+,\d+,4,1,0,0,"uart1"\r\n\r\nOK\r\n$/,
    );
    h.at.write('AT+QIRD=0,1500\r');
    expect(await h.at.until('"closed",0\r\n')).to.equal(
      '\r\n+QIRD: 3\r\nbye\r\n\r\nOK\r\n\r\n+QIURC: "closed",0\r\n',
    );
    expect(await h.at.command('AT+QISEND=0,1')).to.equal('\r\n+CME ERROR: 567\r\n');
    expect(await h.at.command('AT+QICLOSE=0')).to.equal('\r\nOK\r\n');
  });

  it('reports "closed" at once with the immediate policy, the data still readable', async () => {
    await h.close();
    h = await startModem({ closedUrc: 'immediate' }, true);
    await open(0);
    const server = await waitForConnection(echo);
    server.end('bye');
    expect(await h.at.until('"closed",0\r\n')).to.equal('\r\n+QIURC: "recv",0\r\n\r\n+QIURC: "closed",0\r\n');
    expect(await h.at.command('AT+QIRD=0')).to.equal('\r\n+QIRD: 3\r\nbye\r\n\r\nOK\r\n');
  });

  it('sends Ctrl-Z terminated data, and ESC cancels', async () => {
    await open(0);
    h.at.write('AT+QISEND=0\r');
    await h.at.until('\r\n> ');
    h.at.write('typed\x1a');
    expect(await h.at.until('SEND OK\r\n')).to.equal('\r\nSEND OK\r\n');
    await h.at.until('+QIURC: "recv",0\r\n');
    await waitForLog(h, '> SEND OK');
    h.at.write('AT+QISEND=0\r');
    await h.at.until('\r\n> ');
    h.at.write('never\x1b');
    expect(await h.at.until(/\r\n\+CME ERROR: \d+\r\n/)).to.equal('\r\n+CME ERROR: 571\r\n');
    expect(await h.at.command('AT+QISEND=0,0')).to.equal('\r\n+QISEND: 5,5,0\r\n\r\nOK\r\n');
  });

  it('does not take the LF of a CRLF-terminated QISEND as payload', async () => {
    await open(0);
    h.at.write('AT+QISEND=0,5\r\n');
    await h.at.until('\r\n> ');
    h.at.write('hello');
    await h.at.until('SEND OK\r\n');
    await h.at.until('+QIURC: "recv",0\r\n');
    await untilUnread(h, 0, 5);
    expect(await h.at.command('AT+QIRD=0')).to.equal('\r\n+QIRD: 5\r\nhello\r\n\r\nOK\r\n');
  });

  it('sends hex with AT+QISENDEX', async () => {
    await open(0);
    expect(await h.at.command('AT+QISENDEX=0,"414243"')).to.equal('\r\nSEND OK\r\n');
    await h.at.until('+QIURC: "recv",0\r\n');
    expect(await h.at.command('AT+QIRD=0')).to.equal('\r\n+QIRD: 3\r\nABC\r\n\r\nOK\r\n');
  });

  it('pushes data inside the URC in direct push mode (access mode 1)', async () => {
    await h.at.command(`AT+QIOPEN=1,3,"TCP","127.0.0.1",${echo.port},0,1`);
    await h.at.until('+QIOPEN: 3,0\r\n');
    await h.at.sendData('AT+QISEND=3,4', 'push');
    expect(await h.at.until('push\r\n')).to.equal('\r\n+QIURC: "recv",3,4\r\npush\r\n');
  });

  it('reports the socket in AT+QISTATE with its service, peer, state and context', async () => {
    await open(5);
    const line = `+QISTATE: 5,"TCP","127.0.0.1",${echo.port},`;
    expect(await h.at.command('AT+QISTATE?'))
      .to.contain(line)
      .and.match(/,2,1,0,0,"uart1"\r\n\r\nOK\r\n$/);
    expect(await h.at.command('AT+QISTATE=1,5')).to.contain(line);
    expect(await h.at.command('AT+QISTATE=0,1')).to.contain(line);
    expect(await h.at.command('AT+QISTATE=0,2')).to.equal('\r\nOK\r\n');
  });

  it('fails opens with the documented codes: 563, 566, 565, 561, 551', async () => {
    await open(0);
    expect(await h.at.command(`AT+QIOPEN=1,0,"TCP","127.0.0.1",${echo.port},0,0`)).to.equal('\r\nOK\r\n');
    expect(await h.at.until('+QIOPEN: 0,563\r\n')).to.equal('\r\n+QIOPEN: 0,563\r\n');
    expect(await h.at.command('AT+QIGETERROR')).to.equal(
      '\r\n+QIGETERROR: 563,Socket identity has been used\r\n\r\nOK\r\n',
    );

    await h.at.command(`AT+QIOPEN=1,1,"TCP","127.0.0.1",${await closedPort()},0,0`);
    expect(await h.at.until(/\+QIOPEN: 1,\d+\r\n/)).to.contain('+QIOPEN: 1,566');
    // The failed id is free again.
    expect(await h.at.command('AT+QISTATE=1,1')).to.equal('\r\nOK\r\n');

    await h.at.command('AT+QIOPEN=1,2,"TCP","no-such-host.invalid",80,0,0');
    expect(await h.at.until(/\+QIOPEN: 2,\d+\r\n/)).to.contain('+QIOPEN: 2,565');

    await h.at.command(`AT+QIOPEN=2,3,"TCP","127.0.0.1",${echo.port},0,0`);
    expect(await h.at.until(/\+QIOPEN: 3,\d+\r\n/)).to.contain('+QIOPEN: 3,561');

    // Blocked before any packet leaves: no connection is attempted to a non-loopback address.
    await h.at.command('AT+QIOPEN=1,4,"TCP","192.0.2.1",80,0,0');
    expect(await h.at.until(/\+QIOPEN: 4,\d+\r\n/)).to.contain('+QIOPEN: 4,551');
  });

  it('times a connect out with 569 (connectTimeoutMs)', async () => {
    await h.close();
    // A clock on which the connect bound (and only it) expires at once: deterministic, loopback only.
    const connectTimeoutMs = 12_345;
    const clock = {
      now: () => performance.now(),
      setTimeout: (callback: () => void, ms: number) =>
        ms === connectTimeoutMs ? callback() : setTimeout(callback, ms),
      clearTimeout: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout),
    };
    h = await startModem({ connectTimeoutMs, clock }, true);
    await h.at.command(`AT+QIOPEN=1,0,"TCP","127.0.0.1",${echo.port},0,0`);
    expect(await h.at.until(/\+QIOPEN: 0,\d+\r\n/)).to.contain('+QIOPEN: 0,569');
  });

  it('refuses sends over 1460 bytes, reads over 1500, and sends on unknown sockets', async () => {
    await open(0);
    expect(await h.at.command('AT+QISEND=0,1461')).to.equal('\r\n+CME ERROR: 552\r\n');
    expect(await h.at.command('AT+QIRD=0,1501')).to.equal('\r\n+CME ERROR: 552\r\n');
    expect(await h.at.command('AT+QISEND=7,5')).to.equal('\r\n+CME ERROR: 567\r\n');
    expect(await h.at.command('AT+QISEND=0,5,"127.0.0.1",7')).to.equal('\r\n+CME ERROR: 552\r\n');
    expect(await h.at.sendData('AT+QISEND=0,1460', Buffer.alloc(1460, 0x61))).to.equal('\r\nSEND OK\r\n');
  });

  it('closes sockets when the PDP context is deactivated', async () => {
    await open(0);
    await waitForConnection(echo);
    expect(await h.at.command('AT+QIDEACT=1')).to.equal('\r\nOK\r\n');
    expect(await h.at.command('AT+QISTATE?')).to.equal('\r\nOK\r\n');
    expect(await h.at.command('AT+QIACT?')).to.equal('\r\nOK\r\n');
  });

  it('reports "pdpdeact" when the network drops the context', async () => {
    await open(0);
    h.modem.deactivateByNetwork(1);
    expect(await h.at.until('\r\n+QIURC: "pdpdeact",1\r\n')).to.equal('\r\n+QIURC: "pdpdeact",1\r\n');
    expect(await h.at.command('AT+QISTATE?')).to.equal('\r\nOK\r\n');
  });
});

/** Polls AT+QIRD=<id>,0 until `unread` bytes are buffered (data may arrive in pieces). */
async function untilUnread(h: ModemHarness, id: number, unread: number): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    const counters = await h.at.command(`AT+QIRD=${id},0`);
    if (new RegExp(`\\+QIRD: \\d+,\\d+,${unread}\\r\\n`).test(counters)) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`socket ${id} never had ${unread} unread bytes`);
}

async function waitForConnection(server: TcpTestServer) {
  while (server.connections.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  return server.connections[0];
}
