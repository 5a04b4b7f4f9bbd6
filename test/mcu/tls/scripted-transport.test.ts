// The scripted transport is a test double the TLS tests lean on, so its TCPSocket semantics (TCPSocket.cpp,
// InternetSocket.cpp) are checked here against a plain loopback echo server: connect codes, chunking, stalls,
// errors, EOF and the InternetSocket sigio gate.
import net from 'node:net';
import { expect } from 'chai';
import {
  NSAPI_ERROR_ALREADY,
  NSAPI_ERROR_IN_PROGRESS,
  NSAPI_ERROR_IS_CONNECTED,
  NSAPI_ERROR_NO_CONNECTION,
  NSAPI_ERROR_NO_SOCKET,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_WOULD_BLOCK,
} from '../../../shared/nsapi.ts';
import { SocketAddress } from '../../../shared/socket-address.ts';
import { ScriptedTransport } from './scripted-transport.ts';
import { labAddress, SigioCounter, useLab } from './wrapper-fixture.ts';

describe('ScriptedTransport (the TLS tests’ transport) keeps TCPSocket semantics', function () {
  this.timeout(5000);
  const lab = useLab(['tcp-echo', 'tcp-daytime']);
  const made: ScriptedTransport[] = [];
  const transport = (options = {}) => {
    const t = new ScriptedTransport(options);
    made.push(t);
    return t;
  };
  afterEach(() => {
    for (const t of made.splice(0)) t.dispose();
  });
  const echo = () => labAddress(lab(), 'tcp-echo');

  it('blocking connect: OK, then IS_CONNECTED; non-blocking: IN_PROGRESS, then ALREADY or IS_CONNECTED', async () => {
    const blocking = transport();
    expect(await blocking.connect(echo())).to.equal(NSAPI_ERROR_OK);
    expect(await blocking.connect(echo())).to.equal(NSAPI_ERROR_IS_CONNECTED);
    const nonBlocking = transport();
    const sigio = new SigioCounter();
    nonBlocking.sigio(sigio.callback);
    nonBlocking.set_blocking(false);
    expect(await nonBlocking.connect(echo())).to.equal(NSAPI_ERROR_IN_PROGRESS);
    let ret: number;
    do {
      const seen = sigio.count;
      ret = await nonBlocking.connect(echo());
      if (ret === NSAPI_ERROR_ALREADY) await sigio.after(seen);
    } while (ret === NSAPI_ERROR_ALREADY);
    expect(ret).to.equal(NSAPI_ERROR_IS_CONNECTED);
  });

  it('recvChunk and sendChunk bound each attempt; the blocking send loop still sends everything', async () => {
    const t = transport({ recvChunk: 3, sendChunk: 4 });
    expect(await t.connect(echo())).to.equal(NSAPI_ERROR_OK);
    expect(await t.send(Buffer.from('0123456789'))).to.equal(10);
    expect(t.sent.map((chunk) => chunk.length)).to.deep.equal([4, 4, 2]);
    const buffer = new Uint8Array(10);
    const reads: number[] = [];
    for (let total = 0; total < 10; total += reads.at(-1) as number) reads.push(await t.recv(buffer));
    expect(Math.max(...reads)).to.equal(3);
    expect(Math.min(...reads)).to.be.greaterThan(0);
    t.set_blocking(false);
    expect(await t.send(Buffer.from('abcdefgh'))).to.equal(4);
  });

  it('a stall: WOULD_BLOCK at once when non-blocking, a wait until release() when blocking', async () => {
    const t = transport();
    expect(await t.connect(echo())).to.equal(NSAPI_ERROR_OK);
    t.stall();
    t.set_blocking(false);
    expect(await t.send(Buffer.from('x'))).to.equal(NSAPI_ERROR_WOULD_BLOCK);
    expect(await t.recv(new Uint8Array(1))).to.equal(NSAPI_ERROR_WOULD_BLOCK);
    t.set_timeout(5);
    expect(await t.send(Buffer.from('x'))).to.equal(NSAPI_ERROR_WOULD_BLOCK);
    t.set_blocking(true);
    const sending = t.send(Buffer.from('x'));
    setTimeout(() => t.release(), 10);
    expect(await sending).to.equal(1);
    expect(t.stalledAttempts).to.be.at.least(4);
  });

  it('scripted results come first, in order; connectResult replaces the connect', async () => {
    const t = transport();
    t.connectResult = NSAPI_ERROR_NO_SOCKET;
    expect(await t.connect(echo())).to.equal(NSAPI_ERROR_NO_SOCKET);
    t.connectResult = null;
    expect(await t.connect(echo())).to.equal(NSAPI_ERROR_OK);
    t.sendResults.push(NSAPI_ERROR_NO_CONNECTION);
    t.recvResults.push(-1234);
    expect(await t.send(Buffer.from('x'))).to.equal(NSAPI_ERROR_NO_CONNECTION);
    expect(await t.recv(new Uint8Array(1))).to.equal(-1234);
    expect(await t.send(Buffer.from('x'))).to.equal(1);
  });

  it('sigio is gated as InternetSocket gates it: one callback per operation window', async () => {
    const t = transport();
    const sigio = new SigioCounter();
    t.sigio(sigio.callback);
    expect(await t.connect(echo())).to.equal(NSAPI_ERROR_OK);
    const before = sigio.count;
    t.signal();
    t.signal();
    expect(sigio.count - before, 'two events, no operation between').to.equal(1);
    t.set_blocking(false);
    await t.recv(new Uint8Array(1));
    t.signal();
    expect(sigio.count - before, 'an operation opens a new window').to.equal(2);
  });

  it('the peer’s FIN: queued bytes first, then 0; a refused connection → NO_CONNECTION; closed → NO_SOCKET', async () => {
    const t = transport();
    expect(await t.connect(labAddress(lab(), 'tcp-daytime'))).to.equal(NSAPI_ERROR_OK);
    const buffer = new Uint8Array(256);
    let total = 0;
    for (let n = await t.recv(buffer); n !== 0; n = await t.recv(buffer)) {
      expect(n).to.be.greaterThan(0);
      total += n;
    }
    expect(total).to.be.greaterThan(0);
    expect(await t.close()).to.equal(NSAPI_ERROR_OK);
    expect(await t.close()).to.equal(NSAPI_ERROR_NO_SOCKET);
    expect(await t.recv(buffer)).to.equal(NSAPI_ERROR_NO_SOCKET);
    const nobody = net.createServer();
    await new Promise<void>((resolve) => nobody.listen(0, '127.0.0.1', resolve));
    const { port } = nobody.address() as net.AddressInfo;
    await new Promise<void>((resolve) => nobody.close(() => resolve()));
    expect(await transport().connect(new SocketAddress('127.0.0.1', port))).to.equal(
      NSAPI_ERROR_NO_CONNECTION,
    );
  });

  it('connects to loopback only', async () => {
    let error: unknown;
    try {
      await transport().connect(new SocketAddress('192.0.2.1', 7));
    } catch (caught) {
      error = caught;
    }
    expect(String(error)).to.include('loopback only');
  });
});
