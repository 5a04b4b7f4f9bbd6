// set_root_ca_cert with a DER certificate in offload mode, end to end: the driver uploads the bytes as
// given (AT+QFUPL is length-prefixed, so NULs survive) and the simulated BG96 trusts the DER CA as it
// would the PEM one; a CA that is neither is refused at AT+QSSLOPEN (552, which the driver reports as
// AUTH_FAILURE like any failed open: QUECTEL_BG96_CellularStack::handle_open_socket_response).
import { X509Certificate } from 'node:crypto';
import { expect } from 'chai';
import { type Lab, startLab } from '../../../lab/servers/lab.ts';
import type { ATHandler } from '../../../mcu/cellular/at-handler.ts';
import { CellularInterface } from '../../../mcu/cellular/cellular-interface.ts';
import { QUECTEL_BG96_CellularStack } from '../../../mcu/cellular/quectel-bg96-stack.ts';
import { OffloadTLSSocket } from '../../../mcu/tls/tls-socket-offload.ts';
import { Bg96Modem } from '../../../modem/bg96-modem.ts';
import { NSAPI_ERROR_AUTH_FAILURE, NSAPI_ERROR_OK } from '../../../shared/nsapi.ts';
import { SocketAddress } from '../../../shared/socket-address.ts';
import { type MockPair, openMockPair } from '../../../shared/uart/mock-pair.ts';

describe('offloaded TLSSocket with a DER CA certificate (simulated BG96)', function () {
  this.timeout(30_000);
  let lab: Lab;
  let pair: MockPair;
  let modem: Bg96Modem;
  let net: CellularInterface;
  /** everything the MCU received, to see the modem's +QSSLOPEN result code */
  let received: string;
  before(async () => {
    lab = await startLab({ kinds: ['tls-echo'] });
  });
  after(() => lab.close());
  beforeEach(async () => {
    pair = await openMockPair('bg96-der-ca');
    modem = new Bg96Modem(pair.modem, { hosts: lab.hosts });
    modem.start();
    received = '';
    pair.mcu.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    net = new CellularInterface(pair.mcu, {
      createStack: (at: ATHandler, cid: number) =>
        new QUECTEL_BG96_CellularStack(at, cid, { tlsSocket: 'offload' }),
    });
    expect(await net.connect()).to.equal(NSAPI_ERROR_OK);
  });
  afterEach(async () => {
    await modem.close();
    await pair.close();
  });

  async function connectWith(ca: Uint8Array): Promise<{ sock: OffloadTLSSocket; code: number }> {
    const echo = lab.server('tls-echo');
    const sock = new OffloadTLSSocket();
    sock.open(net);
    sock.set_timeout(5000);
    expect(await sock.set_root_ca_cert(ca)).to.equal(NSAPI_ERROR_OK);
    expect(await sock.set_hostname(echo.host)).to.equal(NSAPI_ERROR_OK);
    return { sock, code: await sock.connect(new SocketAddress(echo.address, echo.port)) };
  }

  it('connects and echoes with the CA given as DER bytes', async () => {
    const der = new Uint8Array(new X509Certificate(lab.pki.caPem).raw);
    const { sock, code } = await connectWith(der);
    expect(code).to.equal(NSAPI_ERROR_OK);
    expect(received).to.match(/\+QSSLOPEN: \d+,0\r\n/);
    expect(await sock.send(Buffer.from('der'))).to.equal(3);
    const buffer = new Uint8Array(3);
    expect(await sock.recv(buffer)).to.equal(3);
    expect(Buffer.from(buffer).toString()).to.equal('der');
    await sock.close();
  });

  it('a CA that is neither PEM nor DER fails the open with 552 (AUTH_FAILURE), not as a server refusal', async () => {
    const { sock, code } = await connectWith(Buffer.from([0x30, 0x82, 0x00, 0x10, 0xde, 0xad, 0xbe, 0xef]));
    expect(code).to.equal(NSAPI_ERROR_AUTH_FAILURE);
    expect(received).to.match(/\+QSSLOPEN: \d+,552\r\n/);
    expect(received).to.not.match(/\+QSSLOPEN: \d+,572/);
    await sock.close();
  });
});
