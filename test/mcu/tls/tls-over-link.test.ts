// TLS through the modem over a shaped cellular link (modem/link/): with NB-IoT's delays and bandwidth the
// handshake still completes in both placements, the bytes arrive intact and in order, and the air figures
// are the same bytes as on the ideal link (the link delays, it does not change what crosses it).
import { expect } from 'chai';
import { type Lab, startLab } from '../../../lab/servers/lab.ts';
import { resetConfig, setConfig } from '../../../mcu/mbed-config.ts';
import { MbedtlsTLSSocket } from '../../../mcu/tls/tls-socket-mbedtls.ts';
import { OffloadTLSSocket } from '../../../mcu/tls/tls-socket-offload.ts';
import { resolveLinkProfile } from '../../../modem/link/link-profile.ts';
import { NSAPI_ERROR_OK } from '../../../shared/nsapi.ts';
import { type Device, startDevice } from './device-fixture.ts';
import { expectEcho } from './wrapper-fixture.ts';

// NB-IoT's bandwidth with a short delay, so the test stays quick while every byte is shaped.
const LINK = resolveLinkProfile({ profile: 'nb-iot', delayMs: 40, jitterMs: 20 });

describe('TLS over a shaped cellular link (nb-iot figures)', function () {
  this.timeout(60_000);
  let lab: Lab;
  before(async () => {
    lab = await startLab({ kinds: ['tls-echo'] });
  });
  after(() => lab.close());
  afterEach(() => resetConfig());

  async function echoOnce(device: Device, offload: boolean): Promise<void> {
    const socket = offload ? new OffloadTLSSocket() : new MbedtlsTLSSocket();
    expect(socket.open(device.net)).to.equal(NSAPI_ERROR_OK);
    expect(await socket.set_root_ca_cert(lab.pki.caPem)).to.equal(NSAPI_ERROR_OK);
    await socket.set_hostname(lab.server('tls-echo').host);
    expect(await socket.connect(await device.resolve('tls-echo'))).to.equal(NSAPI_ERROR_OK);
    await expectEcho(socket, Buffer.from('x'.repeat(3000)));
    expect(await socket.close()).to.equal(NSAPI_ERROR_OK);
    await socket.destroy();
  }

  for (const offload of [false, true]) {
    it(`${offload ? 'offload' : 'mbedtls'}: connects and echoes 3000 bytes intact; the air bytes are the ideal link’s`, async () => {
      // The stack is built for the configured placement when the interface connects.
      setConfig('nsapi.offload-tlssocket', offload);
      const shaped = await startDevice(lab, { link: LINK, linkSeed: 5 });
      const ideal = await startDevice(lab);
      try {
        await echoOnce(shaped, offload);
        await echoOnce(ideal, offload);
        const [a] = shaped.modem.airConnections();
        const [b] = ideal.modem.airConnections();
        // Handshake bytes are fixed by the certificates and suites; the echo's records too.
        expect(a.up.handshake).to.be.closeTo(b.up.handshake, 64);
        expect(a.down.handshake).to.equal(b.down.handshake);
        expect(a.up.application).to.equal(b.up.application);
      } finally {
        await shaped.close();
        await ideal.close();
      }
    });
  }
});
