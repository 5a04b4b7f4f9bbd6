// TLSSOCKET_ENDPOINT_CLOSE: the daytime server sends one line and closes; recv gives the line, then 0.
import { defineScenario, expectCode, expectTrue, NSAPI_ERROR_OK, TLSSocket } from 'tlssim';
import { resolveServer } from '../_support/greentea.ts';

export default defineScenario({
  name: 'TLSSOCKET_ENDPOINT_CLOSE',
  servers: ['tls-daytime'],
  async app(ctx) {
    const sock = new TLSSocket();
    ctx.step('open, set the CA, connect to daytime');
    expectCode('open', sock.open(ctx.net), NSAPI_ERROR_OK);
    expectCode('set_root_ca_cert', await sock.set_root_ca_cert(ctx.pki.caPem), NSAPI_ERROR_OK);
    await sock.set_hostname(ctx.server('tls-daytime').host);
    sock.set_timeout(10_000);
    expectCode('connect', await sock.connect(await resolveServer(ctx, 'tls-daytime')), NSAPI_ERROR_OK);
    ctx.step('read the daytime string until the server closes');
    const buffer = Buffer.alloc(30);
    let total = 0;
    for (;;) {
      const n = await sock.recv(buffer.subarray(total));
      if (n === 0) break;
      expectTrue(`recv returned ${n} (only data or 0 are acceptable)`, n > 0);
      total += n;
      expectTrue('daytime string fits in 30 bytes', total < 30);
    }
    ctx.log(`daytime: ${JSON.stringify(buffer.toString('latin1', 0, total))}`);
    expectTrue(`daytime string of ${total} bytes`, total >= 10);
    ctx.step('close');
    expectCode('close', await sock.close(), NSAPI_ERROR_OK);
  },
});
