// The whole plain-socket path in one process: sockets → BG96 CellularStack → ATHandler → mock UART →
// simulated BG96 → host sockets → lab servers on loopback.
import { expect } from 'chai';
import { type Lab, startLab } from '../../../lab/servers/lab.ts';
import { CellularInterface } from '../../../mcu/cellular/cellular-interface.ts';
import { TCPSocket } from '../../../mcu/netsocket/tcp-socket.ts';
import { UDPSocket } from '../../../mcu/netsocket/udp-socket.ts';
import { Bg96Modem } from '../../../modem/bg96-modem.ts';
import {
  NSAPI_ERROR_DNS_FAILURE,
  NSAPI_ERROR_IS_CONNECTED,
  NSAPI_ERROR_NO_CONNECTION,
  NSAPI_ERROR_NO_SOCKET,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_PARAMETER,
  NSAPI_ERROR_WOULD_BLOCK,
} from '../../../shared/nsapi.ts';
import { SocketAddress } from '../../../shared/socket-address.ts';
import { type MockPair, openMockPair } from '../../../shared/uart/mock-pair.ts';

const SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200];

describe('BG96 CellularStack against the simulated modem (mock UART)', function () {
  this.timeout(30_000);
  let lab: Lab;
  let pair: MockPair;
  let modem: Bg96Modem;
  let net: CellularInterface;

  before(async () => {
    lab = await startLab({ kinds: ['tcp-echo', 'tcp-discard', 'tcp-daytime', 'udp-echo'] });
  });
  after(() => lab.close());

  beforeEach(async () => {
    pair = await openMockPair('bg96-stack');
    modem = new Bg96Modem(pair.modem, { hosts: lab.hosts });
    modem.start();
    net = new CellularInterface(pair.mcu);
    expect(await net.connect()).to.equal(NSAPI_ERROR_OK);
  });
  afterEach(async () => {
    await modem.close();
    await pair.close();
  });

  async function resolved(kind: string): Promise<SocketAddress> {
    const server = lab.server(kind as never);
    const address = new SocketAddress();
    expect(await net.gethostbyname(server.host, address)).to.equal(NSAPI_ERROR_OK);
    address.set_port(server.port);
    return address;
  }

  it('connect() twice is IS_CONNECTED; lab names resolve through AT+QIDNSGIP, unknown names fail', async () => {
    expect(await net.connect()).to.equal(NSAPI_ERROR_IS_CONNECTED);
    const address = await resolved('tcp-echo');
    expect(address.get_ip_address()).to.equal('127.0.0.1');
    expect(await net.gethostbyname('nowhere.invalid', new SocketAddress())).to.equal(NSAPI_ERROR_DNS_FAILURE);
    const ip = new SocketAddress();
    expect(await net.get_ip_address(ip)).to.equal(NSAPI_ERROR_OK);
    expect(ip.isValid()).to.equal(true);
  });

  it('echoes every Greentea size over TCP, byte for byte', async () => {
    const socket = new TCPSocket();
    expect(socket.open(net)).to.equal(NSAPI_ERROR_OK);
    expect(await socket.connect(await resolved('tcp-echo'))).to.equal(NSAPI_ERROR_OK);
    for (const size of SIZES) {
      const out = Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + size) & 0xff));
      expect(await socket.send(out)).to.equal(size);
      const back = Buffer.alloc(size);
      for (let got = 0; got < size; ) {
        const n = await socket.recv(back.subarray(got));
        expect(n).to.be.greaterThan(0);
        got += n;
      }
      expect(back.equals(out)).to.equal(true);
    }
    expect(await socket.close()).to.equal(NSAPI_ERROR_OK);
    expect(await socket.close()).to.equal(NSAPI_ERROR_NO_SOCKET);
  });

  it('sends a 5000-byte buffer in 1460-byte QISEND chunks', async () => {
    const socket = new TCPSocket(net);
    expect(await socket.connect(await resolved('tcp-discard'))).to.equal(NSAPI_ERROR_OK);
    // What the MCU writes, read at the modem's end of the UART: each AT+QISEND=<id>,<length>.
    const sent: Buffer[] = [];
    const tap = (d: Buffer) => sent.push(d);
    pair.modem.on('data', tap);
    expect(await socket.send(Buffer.alloc(5000, 0x55))).to.equal(5000);
    pair.modem.off('data', tap);
    const text = Buffer.concat(sent).toString('latin1');
    // Length 0 is the sent-bytes query (socket_sendto_impl), not a chunk.
    const chunks = [...text.matchAll(/AT\+QISEND=\d+,(\d+)\r/g)]
      .map((m) => Number(m[1]))
      .filter((n) => n > 0);
    expect(chunks).to.deep.equal([1460, 1460, 1460, 620]);
    await socket.close();
  });

  it('reads the daytime line, then 0 when the server closes', async () => {
    const socket = new TCPSocket(net);
    socket.set_timeout(10_000);
    expect(await socket.connect(await resolved('tcp-daytime'))).to.equal(NSAPI_ERROR_OK);
    const buffer = Buffer.alloc(30);
    let total = 0;
    for (;;) {
      const n = await socket.recv(buffer.subarray(total));
      if (n === 0) break;
      expect(n).to.be.greaterThan(0);
      total += n;
    }
    expect(total).to.be.within(10, 29);
    expect(buffer.toString('latin1', 0, total)).to.match(/\d\d:\d\d:\d\d/);
    expect(await socket.send(Buffer.from('late'))).to.equal(NSAPI_ERROR_NO_CONNECTION);
    await socket.close();
  });

  it('non-blocking recv returns WOULD_BLOCK, then data after sigio', async () => {
    const socket = new TCPSocket(net);
    expect(await socket.connect(await resolved('tcp-echo'))).to.equal(NSAPI_ERROR_OK);
    socket.set_blocking(false);
    const buffer = Buffer.alloc(16);
    expect(await socket.recv(buffer)).to.equal(NSAPI_ERROR_WOULD_BLOCK);
    const signalled = new Promise<void>((resolve) => socket.sigio(resolve));
    expect(await socket.send(Buffer.from('ping'))).to.equal(4);
    await signalled;
    let n = NSAPI_ERROR_WOULD_BLOCK;
    while (n === NSAPI_ERROR_WOULD_BLOCK) n = await socket.recv(buffer);
    expect(buffer.toString('latin1', 0, n)).to.equal('ping');
    await socket.close();
  });

  it('echoes datagrams over UDP, up to the 1460-byte limit; larger is PARAMETER', async () => {
    const socket = new UDPSocket(net);
    socket.set_timeout(5000);
    const echo = await resolved('udp-echo');
    for (const size of [1, 512, 1460]) {
      const datagram = Buffer.alloc(size, size & 0xff);
      expect(await socket.sendto(echo, datagram)).to.equal(size);
      const back = Buffer.alloc(1500);
      const from = new SocketAddress();
      expect(await socket.recvfrom(from, back)).to.equal(size);
      expect(back.subarray(0, size).equals(datagram)).to.equal(true);
      expect(from.equals(echo)).to.equal(true);
    }
    expect(await socket.sendto(echo, Buffer.alloc(1461))).to.equal(NSAPI_ERROR_PARAMETER);
    await socket.close();
  });

  it('send before connect is NO_CONNECTION; a refused connect fails with an nsapi error, not a positive code', async () => {
    const socket = new TCPSocket(net);
    expect(await socket.send(Buffer.from('x'))).to.equal(NSAPI_ERROR_NO_CONNECTION);
    const refused = await resolved('tcp-echo');
    refused.set_port(1); // nothing listens on port 1
    const result = await socket.connect(refused);
    expect(result).to.equal(NSAPI_ERROR_NO_CONNECTION);
    await socket.close();
  });

  it('open limit: 12 sockets, the 13th is NO_SOCKET; closing frees a slot', async () => {
    const sockets = Array.from({ length: 12 }, () => new TCPSocket());
    for (const s of sockets) expect(s.open(net)).to.equal(NSAPI_ERROR_OK);
    const extra = new TCPSocket();
    expect(extra.open(net)).to.equal(NSAPI_ERROR_NO_SOCKET);
    await sockets[0].close();
    expect(extra.open(net)).to.equal(NSAPI_ERROR_OK);
    await Promise.all([...sockets.slice(1), extra].map((s) => s.close()));
  });
});
