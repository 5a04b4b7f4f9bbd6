// TLSSOCKET_SEND_TIMEOUT: non-blocking sends to the discard server return 5 or WOULD_BLOCK, each within
// 800 ms (the Greentea bound; the send itself must not wait).
import {
  defineScenario,
  expectCode,
  expectTrue,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_WOULD_BLOCK,
  TLSSocket,
} from 'tlssim';
import { connectToServer } from '../_support/greentea.ts';

export default defineScenario({
  name: 'TLSSOCKET_SEND_TIMEOUT',
  servers: ['tls-discard'],
  async app(ctx) {
    const sock = new TLSSocket();
    ctx.step('connect to the TLS discard server');
    expectCode('tlssocket_connect_to_srv', await connectToServer(ctx, sock, 'tls-discard'), NSAPI_ERROR_OK);
    sock.set_blocking(false);
    ctx.step('10 × non-blocking send');
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      const ret = await sock.send(Buffer.from('hello'));
      const ms = performance.now() - started;
      expectTrue(`send #${i + 1} returned ${ret}`, ret === 5 || ret === NSAPI_ERROR_WOULD_BLOCK);
      expectTrue(`send #${i + 1} took ${ms.toFixed(0)} ms (≤ 800 ms)`, ms <= 800);
    }
    ctx.step('close');
    expectCode('close', await sock.close(), NSAPI_ERROR_OK);
  },
});
