// TLSSOCKET_SEND_REPEAT: 100 × send "hello" to the discard server; each returns 5.
import { defineScenario, expectCode, NSAPI_ERROR_OK, TLSSocket } from 'tlssim';
import { connectToServer } from '../_support/greentea.ts';

export default defineScenario({
  name: 'TLSSOCKET_SEND_REPEAT',
  servers: ['tls-discard'],
  async app(ctx) {
    const sock = new TLSSocket();
    ctx.step('connect to the TLS discard server');
    expectCode('tlssocket_connect_to_srv', await connectToServer(ctx, sock, 'tls-discard'), NSAPI_ERROR_OK);
    ctx.step('100 × send hello');
    for (let i = 0; i < 100; i++) expectCode(`send #${i + 1}`, await sock.send(Buffer.from('hello')), 5);
    ctx.step('close');
    expectCode('close', await sock.close(), NSAPI_ERROR_OK);
  },
});
