// TLSSOCKET_OPEN_TWICE: the second open is PARAMETER.
import { defineScenario, expectCode, NSAPI_ERROR_OK, NSAPI_ERROR_PARAMETER, TLSSocket } from 'tlssim';

export default defineScenario({
  name: 'TLSSOCKET_OPEN_TWICE',
  async app(ctx) {
    const sock = new TLSSocket();
    ctx.step('open twice');
    expectCode('first open', sock.open(ctx.net), NSAPI_ERROR_OK);
    expectCode('second open', sock.open(ctx.net), NSAPI_ERROR_PARAMETER);
    await sock.destroy();
  },
});
