import { expect } from 'chai';
import { type Lab, startLab } from '../../../lab/servers/lab.ts';
import { MbedtlsTLSSocket } from '../../../mcu/tls/tls-socket-mbedtls.ts';
import { NSAPI_ERROR_OK } from '../../../shared/nsapi.ts';
import { type Device, startDevice } from './device-fixture.ts';

describe('TLSSocket (Mbed TLS) over the BG96 on the mock UART', function () {
  this.timeout(30_000);
  let lab: Lab;
  let device: Device;
  before(async () => {
    lab = await startLab({ kinds: ['tls-echo'] });
  });
  after(() => lab.close());
  beforeEach(async () => {
    device = await startDevice(lab);
  });
  afterEach(() => device.close());

  it('handshakes with the lab CA and echoes; no plaintext crosses the UART', async () => {
    const socket = new MbedtlsTLSSocket();
    expect(socket.open(device.net)).to.equal(NSAPI_ERROR_OK);
    expect(socket.set_root_ca_cert(lab.pki.caPem)).to.equal(NSAPI_ERROR_OK);
    socket.set_hostname(lab.server('tls-echo').host);
    expect(await socket.connect(await device.resolve('tls-echo'))).to.equal(NSAPI_ERROR_OK);
    const message = Buffer.from('the quick brown fox jumps over the lazy dog');
    expect(await socket.send(message)).to.equal(message.length);
    const back = Buffer.alloc(message.length);
    for (let got = 0; got < message.length; ) {
      const n = await socket.recv(back.subarray(got));
      expect(n).to.be.greaterThan(0);
      got += n;
    }
    expect(back.equals(message)).to.equal(true);
    expect(await socket.close()).to.equal(NSAPI_ERROR_OK);
    const all = Buffer.concat([...device.uart.tx, ...device.uart.rx]);
    expect(all.includes(message)).to.equal(false);
    expect(all.includes(Buffer.from('quick brown'))).to.equal(false);
  });
});
