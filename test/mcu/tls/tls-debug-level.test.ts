// tls-socket.debug-level: Mbed TLS debug lines and the verify callback reach the MCU log (trace group
// TLSW); at 0 (the default) nothing from Mbed TLS does.
import { expect } from 'chai';
import { type Lab, startLab } from '../../../lab/servers/lab.ts';
import { resetConfig, setConfig } from '../../../mcu/mbed-config.ts';
import { mbedtlsDebugSetThreshold } from '../../../mcu/tls/mbedtls/functions.ts';
import { MbedtlsTLSSocket } from '../../../mcu/tls/tls-socket-mbedtls.ts';
import { formatLogLine, setLogSink } from '../../../shared/log.ts';
import { NSAPI_ERROR_OK } from '../../../shared/nsapi.ts';
import { type Device, startDevice } from './device-fixture.ts';

describe('tls-socket.debug-level', function () {
  this.timeout(30_000);
  let lab: Lab;
  let device: Device;
  let lines: string[];
  before(async () => {
    lab = await startLab({ kinds: ['tls-echo'] });
  });
  after(() => lab.close());
  beforeEach(async () => {
    device = await startDevice(lab);
    lines = [];
    setLogSink((line) => lines.push(formatLogLine(line)));
  });
  afterEach(async () => {
    setLogSink(null);
    resetConfig();
    mbedtlsDebugSetThreshold(0);
    await device.close();
  });

  async function handshake(): Promise<void> {
    const sock = new MbedtlsTLSSocket();
    sock.open(device.net);
    sock.set_root_ca_cert(lab.pki.caPem);
    sock.set_hostname(lab.server('tls-echo').host);
    expect(await sock.connect(await device.resolve('tls-echo'))).to.equal(NSAPI_ERROR_OK);
    await sock.close();
  }

  it('at level 3 forwards Mbed TLS debug lines and the certificate chain to the log', async () => {
    setConfig('tls-socket.debug-level', 3);
    await handshake();
    const debug = lines.filter((l) => l.startsWith('[DBG][TLSW]'));
    expect(debug.some((l) => /ssl_tls\.c:\d+: \|\d\|/.test(l) || /ssl_cli\.c:\d+: \|\d\|/.test(l))).to.equal(
      true,
    );
    expect(debug.some((l) => l.includes('Verify requested for (Depth'))).to.equal(true);
  });

  it('at the default level logs only the wrapper’s own info lines', async () => {
    await handshake();
    expect(lines.some((l) => l.startsWith('[DBG]'))).to.equal(false);
    expect(lines).to.include.members(['[INFO][TLSW]: Closing TLS']);
  });
});
