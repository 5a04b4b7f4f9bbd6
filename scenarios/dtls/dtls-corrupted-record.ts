// A corrupted application record is dropped by the record layer (bad MAC), never delivered: the
// application sees its recv time out, and the next, intact echo still arrives.
import { defineScenario, expectCode, expectTrue, NSAPI_ERROR_OK, NSAPI_ERROR_WOULD_BLOCK } from 'tlssim';
import { connectDtls } from './_dtls.ts';

export default defineScenario({
  name: 'dtls-corrupted-record',
  modes: ['mbedtls'],
  servers: ['dtls-echo'],
  // Every echo the server sends back has one bit flipped inside its application record.
  faults: { seed: 3, toClient: { corruptAppData: 1 } },
  async app(ctx) {
    const sock = await connectDtls(ctx, 'dtls-echo');
    ctx.step('send a record whose echo is corrupted on the way back');
    sock.set_timeout(1500);
    expectCode('send', await sock.send(Buffer.from('precious data')), 13);
    const back = Buffer.alloc(64);
    expectCode('recv of a corrupted record', await sock.recv(back), NSAPI_ERROR_WOULD_BLOCK);
    expectTrue(
      'nothing was delivered',
      back.every((b) => b === 0),
    );
    expectCode('close', await sock.close(), NSAPI_ERROR_OK);
  },
});
