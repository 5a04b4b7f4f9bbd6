// TLSSOCKET_CONNECT_INVALID: connect to an empty SocketAddress must fail. Upstream only asks for a
// negative code; the scenario pins what each mode answers (docs/deviations.md, "BG96 driver quirks"):
// mbedtls mode's plain-TCP transport answers NSAPI_ERROR_PARAMETER before any AT traffic (no AT+QIOPEN);
// the offloaded socket keeps upstream's path, an AT+QSSLOPEN to "" that the modem refuses, which
// handle_open_socket_response turns into NSAPI_ERROR_AUTH_FAILURE.
import {
  defineScenario,
  expectCode,
  NSAPI_ERROR_AUTH_FAILURE,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_PARAMETER,
  SocketAddress,
  TLSSocket,
} from 'tlssim';

export default defineScenario({
  name: 'TLSSOCKET_CONNECT_INVALID',
  async app(ctx) {
    const sock = new TLSSocket();
    ctx.step('open and set the CA');
    expectCode('open', sock.open(ctx.net), NSAPI_ERROR_OK);
    expectCode('set_root_ca_cert', await sock.set_root_ca_cert(ctx.pki.caPem), NSAPI_ERROR_OK);
    ctx.step('connect to an empty address');
    const expected = ctx.mode === 'mbedtls' ? NSAPI_ERROR_PARAMETER : NSAPI_ERROR_AUTH_FAILURE;
    expectCode('connect(empty address)', await sock.connect(new SocketAddress()), expected);
    ctx.step('close');
    expectCode('close', await sock.close(), NSAPI_ERROR_OK);
  },
  uart: {
    mbedtls: { absent: ['AT+QIOPEN', 'AT+QSSLOPEN'] },
    offload: { present: ['AT+QSSLOPEN=1,0,0,"",0'], absent: ['AT+QIOPEN'] },
  },
});
