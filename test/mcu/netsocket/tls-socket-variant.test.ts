// The one place that decides where TLS runs: the TLSSocket factory and the cellular interface's stack
// follow the same answer of tlsSocketVariant().
import { expect } from 'chai';
import { CellularInterface } from '../../../mcu/cellular/cellular-interface.ts';
import type { QUECTEL_BG96_CellularStack } from '../../../mcu/cellular/quectel-bg96-stack.ts';
import { resetConfig, setConfig } from '../../../mcu/mbed-config.ts';
import { tlsSocketVariant } from '../../../mcu/netsocket/tls-socket-variant.ts';
import { TLSSocket } from '../../../mcu/tls/tls-socket.ts';
import { MbedtlsTLSSocket } from '../../../mcu/tls/tls-socket-mbedtls.ts';
import { OffloadTLSSocket } from '../../../mcu/tls/tls-socket-offload.ts';
import { Bg96Modem } from '../../../modem/bg96-modem.ts';
import { NSAPI_ERROR_OK } from '../../../shared/nsapi.ts';
import { openMockPair } from '../../../shared/uart/mock-pair.ts';

async function stackOfConnectedInterface(): Promise<QUECTEL_BG96_CellularStack> {
  const pair = await openMockPair('tls-variant');
  const modem = new Bg96Modem(pair.modem, {});
  modem.start();
  try {
    const net = new CellularInterface(pair.mcu);
    expect(await net.connect()).to.equal(NSAPI_ERROR_OK);
    return net.get_stack() as QUECTEL_BG96_CellularStack;
  } finally {
    await modem.close();
    await pair.close();
  }
}

describe('tlsSocketVariant: where TLS runs, decided once', function () {
  this.timeout(20_000);
  afterEach(() => resetConfig());

  it('nsapi.offload-tlssocket true: the offloaded TLSSocket, and a stack with the TLS offload path', async () => {
    setConfig('nsapi.offload-tlssocket', true);
    expect(tlsSocketVariant()).to.equal('offload');
    expect(new TLSSocket()).to.be.instanceOf(OffloadTLSSocket);
    expect((await stackOfConnectedInterface()).tlsOffload).to.not.equal(null);
  });

  it('otherwise: the Mbed TLS TLSSocket, and a stack without it', async () => {
    expect(tlsSocketVariant()).to.equal('mbedtls');
    const socket = new TLSSocket();
    expect(socket).to.be.instanceOf(MbedtlsTLSSocket);
    await (socket as MbedtlsTLSSocket).destroy();
    expect((await stackOfConnectedInterface()).tlsOffload).to.equal(null);
  });
});
