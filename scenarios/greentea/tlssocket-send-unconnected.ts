// TLSSOCKET_SEND_UNCONNECTED: send before connect is NO_CONNECTION; so is recv (tlssim answers both
// before any AT traffic: docs/deviations.md, "BG96 driver quirks", which this scenario pins — no socket
// is opened on the modem).
import { defineScenario, expectCode, NSAPI_ERROR_NO_CONNECTION, NSAPI_ERROR_OK, TLSSocket } from 'tlssim';

export default defineScenario({
  name: 'TLSSOCKET_SEND_UNCONNECTED',
  async app(ctx) {
    const sock = new TLSSocket();
    ctx.step('open, set the CA, send and recv without connecting');
    expectCode('open', sock.open(ctx.net), NSAPI_ERROR_OK);
    expectCode('set_root_ca_cert', await sock.set_root_ca_cert(ctx.pki.caPem), NSAPI_ERROR_OK);
    expectCode('send', await sock.send(Buffer.from('12345')), NSAPI_ERROR_NO_CONNECTION);
    expectCode('recv', await sock.recv(Buffer.alloc(16)), NSAPI_ERROR_NO_CONNECTION);
    ctx.step('close');
    expectCode('close', await sock.close(), NSAPI_ERROR_OK);
  },
  uart: {
    plaintext: { absent: ['AT+QIOPEN', 'AT+QSSLOPEN', 'AT+QIRD', 'AT+QSSLRECV', 'AT+QISEND', 'AT+QSSLSEND'] },
  },
});
