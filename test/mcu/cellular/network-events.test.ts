// Scripted network and modem events against the BG96 driver, in one process (mock UART, the simulated
// modem, lab servers on loopback): what the modem says on the UART, what the driver does with it, and
// what the app gets (docs/reliability.md, "Network and modem events").
import { expect } from 'chai';
import { inProcessNetwork } from '../../../lab/scenario/app-network.ts';
import { type Lab, startLab } from '../../../lab/servers/lab.ts';
import {
  CellularInterface,
  CellularRegistrationStatusChanged,
} from '../../../mcu/cellular/cellular-interface.ts';
import { TCPSocket } from '../../../mcu/netsocket/tcp-socket.ts';
import { UDPSocket } from '../../../mcu/netsocket/udp-socket.ts';
import {
  NSAPI_ERROR_NO_CONNECTION,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_WOULD_BLOCK,
  NSAPI_EVENT_CONNECTION_STATUS_CHANGE,
  NSAPI_STATUS_DISCONNECTED,
  NSAPI_STATUS_GLOBAL_UP,
} from '../../../shared/nsapi.ts';
import { SocketAddress } from '../../../shared/socket-address.ts';
import { type Device, startDevice } from '../tls/device-fixture.ts';

const MESSAGE = Buffer.from('still there?');

describe('network and modem events through the BG96 driver', function () {
  this.timeout(20_000);
  let lab: Lab;
  let device: Device;
  let events: Array<[number, number]>;

  before(async () => {
    lab = await startLab({ kinds: ['tcp-echo', 'udp-echo'] });
  });
  after(() => lab.close());
  beforeEach(async () => {
    device = await startDevice(lab);
    events = [];
    device.net.attach((event, value) => events.push([event, value]));
  });
  afterEach(() => device.close());

  const network = () => inProcessNetwork(device.modem);
  const rxText = () => Buffer.concat(device.uart.rx).toString('latin1');
  const txText = () => Buffer.concat(device.uart.tx).toString('latin1');

  /** A TCP socket connected to the echo server, with a sigio counter. */
  async function echoSocket(
    net: CellularInterface = device.net,
  ): Promise<{ sock: TCPSocket; sigio: { count: number } }> {
    const sock = new TCPSocket();
    expect(sock.open(net)).to.equal(NSAPI_ERROR_OK);
    const sigio = { count: 0 };
    sock.sigio(() => sigio.count++);
    expect(await sock.connect(await resolve(net, 'tcp-echo'))).to.equal(NSAPI_ERROR_OK);
    return { sock, sigio };
  }

  /** device.resolve asks device.net; after a restart the new interface must ask. */
  async function resolve(net: CellularInterface, kind: 'tcp-echo' | 'udp-echo'): Promise<SocketAddress> {
    const server = lab.server(kind);
    const address = new SocketAddress();
    expect(await net.gethostbyname(server.host, address)).to.equal(NSAPI_ERROR_OK);
    address.set_port(server.port);
    return address;
  }

  async function echoes(sock: TCPSocket): Promise<void> {
    expect(await sock.send(MESSAGE)).to.equal(MESSAGE.length);
    const back = Buffer.alloc(MESSAGE.length);
    for (let got = 0; got < back.length; ) {
      const n = await sock.recv(back.subarray(got));
      expect(n, 'recv').to.be.greaterThan(0);
      got += n;
    }
    expect(back.equals(MESSAGE)).to.equal(true);
  }

  async function until(what: string, check: () => boolean, ms = 3000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  const disconnected = () =>
    events.some(([e, v]) => e === NSAPI_EVENT_CONNECTION_STATUS_CHANGE && v === NSAPI_STATUS_DISCONNECTED);

  it('pdp-deactivate: "pdpdeact" URC, status DISCONNECTED, sockets lost with sigio; connect() brings it back', async () => {
    const { sock, sigio } = await echoSocket();
    expect(device.net.get_connection_status()).to.equal(NSAPI_STATUS_GLOBAL_UP);
    const result = await network().event('pdp-deactivate');
    expect(result.sockets).to.deep.equal([0]);
    await until('the status callback', disconnected);
    expect(rxText()).to.include('\r\n+QIURC: "pdpdeact",1\r\n');
    expect(sigio.count).to.be.greaterThan(0);
    expect(device.net.get_connection_status()).to.equal(NSAPI_STATUS_DISCONNECTED);
    expect(await sock.send(MESSAGE)).to.equal(NSAPI_ERROR_NO_CONNECTION);
    expect(await sock.recv(Buffer.alloc(10))).to.equal(NSAPI_ERROR_NO_CONNECTION);
    expect(await sock.close()).to.equal(NSAPI_ERROR_OK);
    expect(await device.net.connect()).to.equal(NSAPI_ERROR_OK);
    expect(txText()).to.match(/AT\+QIACT=1\r[\s\S]*AT\+QIACT=1\r/);
    expect(device.net.get_connection_status()).to.equal(NSAPI_STATUS_GLOBAL_UP);
    const again = await echoSocket();
    await echoes(again.sock);
    await again.sock.close();
  });

  it('detach: +CEREG: 0 after "pdpdeact", registration and DISCONNECTED reported; AT+CEREG? says 0; reattach lets connect() finish', async () => {
    const { sock } = await echoSocket();
    await network().event('detach');
    await until('the status callback', disconnected);
    expect(rxText()).to.match(/\+QIURC: "pdpdeact",1\r\n[\s\S]*\r\n\+CEREG: 0\r\n/);
    expect(events).to.deep.include([CellularRegistrationStatusChanged, 0]);
    // The read answer carries the +CEREG: prefix too: it is the command's response, not a URC.
    const status = await device.net.at.at_cmd_str('+CEREG', '?');
    expect(status).to.deep.equal({ ok: true, value: '2,0' });
    expect(await sock.send(MESSAGE)).to.equal(NSAPI_ERROR_NO_CONNECTION);
    await sock.close();
    // connect() waits in registration (AT+CEREG? polls) until the network takes the modem back.
    const connecting = device.net.connect();
    await new Promise((r) => setTimeout(r, 300));
    await network().event('reattach');
    expect(await connecting).to.equal(NSAPI_ERROR_OK);
    expect(rxText()).to.include('\r\n+CEREG: 1,"1A2B","01A2B3C4",8\r\n');
    expect(events).to.deep.include([CellularRegistrationStatusChanged, 1]);
    const again = await echoSocket();
    await echoes(again.sock);
    await again.sock.close();
  });

  it('server-reset: "closed" URC and sigio; recv gives 0, send NO_CONNECTION; the interface stays up', async () => {
    const { sock, sigio } = await echoSocket();
    await echoes(sock);
    const result = await network().event({ event: 'server-reset', connectId: 0 });
    expect(result.sockets).to.deep.equal([0]);
    await until('sigio', () => sigio.count > 0 && rxText().includes('+QIURC: "closed",0'));
    expect(await sock.recv(Buffer.alloc(10))).to.equal(0);
    expect(await sock.send(MESSAGE)).to.equal(NSAPI_ERROR_NO_CONNECTION);
    expect(device.net.get_connection_status()).to.equal(NSAPI_STATUS_GLOBAL_UP);
    expect(await sock.close()).to.equal(NSAPI_ERROR_OK);
  });

  it('server-silent-drop: no URC; sends are accepted and vanish, recv times out; close is prompt', async () => {
    const { sock, sigio } = await echoSocket();
    await echoes(sock);
    const before = rxText().length;
    const signalled = sigio.count;
    await network().event('server-silent-drop');
    sock.set_timeout(300);
    expect(await sock.send(MESSAGE)).to.equal(MESSAGE.length);
    expect(await sock.recv(Buffer.alloc(10))).to.equal(NSAPI_ERROR_WOULD_BLOCK);
    expect(rxText().slice(before)).not.to.include('+QIURC');
    expect(sigio.count).to.equal(signalled);
    // Prompt by construction (test/modem/sockets/modem-socket-close.test.ts); no wall-clock check here.
    expect(await sock.close()).to.equal(NSAPI_ERROR_OK);
  });

  it('modem-reboot: RDY; status DISCONNECTED, sockets lost; connect() initialises the modem again', async () => {
    const { sock, sigio } = await echoSocket();
    const result = await network().event('modem-reboot');
    expect(result.sockets).to.deep.equal([0]);
    await until('the status callback', disconnected);
    expect(rxText()).to.match(/\r\nRDY\r\n[\s\S]*\r\nRDY\r\n/);
    expect(sigio.count).to.be.greaterThan(0);
    expect(await sock.recv(Buffer.alloc(10))).to.equal(NSAPI_ERROR_NO_CONNECTION);
    expect(await sock.close()).to.equal(NSAPI_ERROR_OK);
    const initsBefore = txText().split('ATE0\r').length;
    expect(await device.net.connect()).to.equal(NSAPI_ERROR_OK);
    expect(txText().split('ATE0\r').length).to.equal(initsBefore + 1);
    const again = await echoSocket();
    await echoes(again.sock);
    await again.sock.close();
  });

  it('MCU restart: a new interface finds the modem up; stale TCP and UDP sockets are cleared by the open retry', async () => {
    await echoSocket(); // left open: the MCU forgets it, the modem does not
    const udp = new UDPSocket();
    expect(udp.open(device.net)).to.equal(NSAPI_ERROR_OK);
    expect(await udp.sendto(await device.resolve('udp-echo'), MESSAGE)).to.equal(MESSAGE.length);
    device.net.release();
    const net = new CellularInterface(device.pair.mcu, { rdyTimeoutMs: 0 });
    expect(await net.connect()).to.equal(NSAPI_ERROR_OK);
    const { sock } = await echoSocket(net);
    // QUECTEL_BG96_CellularStack::socket_connect: refused (563, id in use), QICLOSE, QIOPEN again.
    expect(rxText()).to.include('+QIOPEN: 0,563');
    expect(txText()).to.match(/AT\+QICLOSE=0\r[\s\S]*AT\+QIOPEN=1,0,"TCP"/);
    await echoes(sock);
    const udp2 = new UDPSocket(); // slot 1 while the TCP socket holds slot 0: the stale UDP's id
    expect(udp2.open(net)).to.equal(NSAPI_ERROR_OK);
    // create_socket_impl's retry clears the stale UDP service on id 1.
    expect(await udp2.sendto(await resolve(net, 'udp-echo'), MESSAGE)).to.equal(MESSAGE.length);
    expect(rxText()).to.include('+QIOPEN: 1,563');
    await udp2.close();
    await sock.close();
    net.release();
  });
});
