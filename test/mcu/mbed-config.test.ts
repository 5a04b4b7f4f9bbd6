import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  getConfig,
  loadMbedAppJson,
  offloadTlsSocket,
  resetConfig,
  setConfig,
  tlsSocketDebugLevel,
} from '../../mcu/mbed-config.ts';
import { TLSSocket } from '../../mcu/tls/tls-socket.ts';
import { MbedtlsTLSSocket } from '../../mcu/tls/tls-socket-mbedtls.ts';
import { OffloadTLSSocket } from '../../mcu/tls/tls-socket-offload.ts';

describe('Mbed config keys', () => {
  afterEach(resetConfig);

  it('reads "config" and "target_overrides"."*" of an mbed_app.json', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tlssim-cfg-')), 'mbed_app.json');
    writeFileSync(
      file,
      JSON.stringify({
        config: { 'echo-port': { value: 2007 } },
        target_overrides: {
          '*': { 'nsapi.offload-tlssocket': true, 'tls-socket.debug-level': 2 },
          K64F: { x: 1 },
        },
      }),
    );
    expect(loadMbedAppJson(file)).to.have.members([
      'echo-port',
      'nsapi.offload-tlssocket',
      'tls-socket.debug-level',
    ]);
    expect(getConfig('app.echo-port')).to.equal(2007);
    expect(offloadTlsSocket()).to.equal(true);
    expect(tlsSocketDebugLevel()).to.equal(2);
    expect(getConfig('x')).to.equal(undefined);
  });

  it('debug level defaults to 0 and offload to the Mbed TLS variant (null)', () => {
    expect(tlsSocketDebugLevel()).to.equal(0);
    expect(offloadTlsSocket()).to.equal(false);
    setConfig('nsapi.offload-tlssocket', null);
    expect(offloadTlsSocket()).to.equal(false);
  });

  it('new TLSSocket() is the variant nsapi.offload-tlssocket selects at that moment', () => {
    expect(new TLSSocket()).to.be.instanceOf(MbedtlsTLSSocket);
    setConfig('nsapi.offload-tlssocket', true);
    expect(new TLSSocket()).to.be.instanceOf(OffloadTLSSocket);
  });
});
