// TLSSOCKET_OPEN_DESTRUCT: 100 × new, open, delete; open is always OK.
import { defineScenario, expectCode, NSAPI_ERROR_OK, TLSSocket } from 'tlssim';

export default defineScenario({
  name: 'TLSSOCKET_OPEN_DESTRUCT',
  async app(ctx) {
    ctx.step('100 × open and destroy');
    for (let i = 0; i < 100; i++) {
      const sock = new TLSSocket();
      expectCode(`open #${i + 1}`, sock.open(ctx.net), NSAPI_ERROR_OK);
      await sock.destroy();
    }
  },
});
