// TLSSOCKET_CONNECT_INVALID: connect to an empty SocketAddress must fail (negative code).
import { defineScenario, expectCode, expectTrue, NSAPI_ERROR_OK, SocketAddress, TLSSocket } from 'tlssim';

export default defineScenario({
  name: 'TLSSOCKET_CONNECT_INVALID',
  async app(ctx) {
    const sock = new TLSSocket();
    ctx.step('open and set the CA');
    expectCode('open', sock.open(ctx.net), NSAPI_ERROR_OK);
    expectCode('set_root_ca_cert', await sock.set_root_ca_cert(ctx.pki.caPem), NSAPI_ERROR_OK);
    ctx.step('connect to an empty address');
    const ret = await sock.connect(new SocketAddress());
    ctx.log(`connect(empty address) returned ${ret}`);
    expectTrue(`connect(empty address) returned ${ret}, expected a negative code`, ret < 0);
    ctx.step('close');
    expectCode('close', await sock.close(), NSAPI_ERROR_OK);
  },
});
