// TLSSOCKET_HANDSHAKE_INVALID: one socket, the lab CA, connect to each bad-certificate server in turn;
// every connect is AUTH_FAILURE (after the first failure the socket stays failed, as on a device).
import { defineScenario, expectCode, NSAPI_ERROR_AUTH_FAILURE, NSAPI_ERROR_OK, TLSSocket } from 'tlssim';
import { resolveServer } from '../_support/greentea.ts';

const ZOO = [
  'badssl-expired',
  'badssl-wrong-host',
  'badssl-self-signed',
  'badssl-untrusted-root',
  'badssl-sha1',
];

export default defineScenario({
  name: 'TLSSOCKET_HANDSHAKE_INVALID',
  servers: ZOO,
  async app(ctx) {
    const sock = new TLSSocket();
    ctx.step('open and set the lab CA');
    expectCode('open', sock.open(ctx.net), NSAPI_ERROR_OK);
    expectCode('set_root_ca_cert', await sock.set_root_ca_cert(ctx.pki.caPem), NSAPI_ERROR_OK);
    for (const kind of ZOO) {
      ctx.step(`connect to ${kind}`);
      await sock.set_hostname(ctx.server(kind).host);
      expectCode(
        `connect(${kind})`,
        await sock.connect(await resolveServer(ctx, kind)),
        NSAPI_ERROR_AUTH_FAILURE,
      );
    }
    ctx.step('close');
    expectCode('close', await sock.close(), NSAPI_ERROR_OK);
  },
});
