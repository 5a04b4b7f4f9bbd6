// TLSSOCKET_SIMULTANEOUS (commented out in Mbed OS for RAM reasons; tlssim has the RAM): two sockets on
// the echo server at once, 10 × "hello1"/"hello2" each.
import { defineScenario, expectCode, expectTrue, NSAPI_ERROR_OK, TLSSocket } from 'tlssim';
import { connectToServer, recvExactly } from '../_support/greentea.ts';

export default defineScenario({
  name: 'TLSSOCKET_SIMULTANEOUS',
  servers: ['tls-echo'],
  async app(ctx) {
    const a = new TLSSocket();
    const b = new TLSSocket();
    ctx.step('connect both sockets');
    expectCode('connect socket 1', await connectToServer(ctx, a, 'tls-echo'), NSAPI_ERROR_OK);
    expectCode('connect socket 2', await connectToServer(ctx, b, 'tls-echo'), NSAPI_ERROR_OK);
    for (let i = 0; i < 10; i++) {
      ctx.step(`round ${i + 1}`);
      expectCode('send hello1', await a.send(Buffer.from('hello1')), 6);
      expectCode('send hello2', await b.send(Buffer.from('hello2')), 6);
      expectTrue('socket 1 echo', (await recvExactly(a, 6, 'socket 1')).toString() === 'hello1');
      expectTrue('socket 2 echo', (await recvExactly(b, 6, 'socket 2')).toString() === 'hello2');
    }
    ctx.step('close both');
    expectCode('close socket 1', await a.close(), NSAPI_ERROR_OK);
    expectCode('close socket 2', await b.close(), NSAPI_ERROR_OK);
  },
});
