// TLSSOCKET_NO_CERT: without a CA the handshake cannot verify the server: AUTH_FAILURE.
import { defineScenario, expectCode, NSAPI_ERROR_AUTH_FAILURE, NSAPI_ERROR_OK, TLSSocket } from 'tlssim';
import { resolveServer } from '../_support/greentea.ts';

export default defineScenario({
  name: 'TLSSOCKET_NO_CERT',
  servers: ['tls-echo'],
  async app(ctx) {
    const sock = new TLSSocket();
    ctx.step('open without a CA and connect');
    expectCode('open', sock.open(ctx.net), NSAPI_ERROR_OK);
    expectCode('connect', await sock.connect(await resolveServer(ctx, 'tls-echo')), NSAPI_ERROR_AUTH_FAILURE);
    ctx.step('close');
    expectCode('close', await sock.close(), NSAPI_ERROR_OK);
  },
});
