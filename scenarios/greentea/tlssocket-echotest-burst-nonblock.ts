// TLSSOCKET_ECHOTEST_BURST_NONBLOCK: 20 bursts of 1220 bytes without blocking, waiting on sigio.
import { defineScenario, expectCode, expectTrue, NSAPI_ERROR_OK, TLSSocket } from 'tlssim';
import {
  connectToServer,
  fillTxBufferAscii,
  recvAllNonBlocking,
  SigioWaiter,
  sendAllNonBlocking,
} from '../_support/greentea.ts';

const BURSTS = 20;
const BURST_SIZE = 1220;

export default defineScenario({
  name: 'TLSSOCKET_ECHOTEST_BURST_NONBLOCK',
  servers: ['tls-echo'],
  timeoutMs: 120_000,
  async app(ctx) {
    const sock = new TLSSocket();
    ctx.step('connect to the TLS echo server');
    expectCode('tlssocket_connect_to_srv', await connectToServer(ctx, sock, 'tls-echo'), NSAPI_ERROR_OK);
    const sigio = new SigioWaiter();
    sock.set_blocking(false);
    sock.sigio(sigio.callback);
    const burst = fillTxBufferAscii(BURST_SIZE);
    for (let i = 0; i < BURSTS; i++) {
      ctx.step(`burst ${i + 1} of ${BURSTS}`);
      await sendAllNonBlocking(sock, burst, sigio, `burst ${i + 1}`);
      const back = await recvAllNonBlocking(sock, BURST_SIZE, sigio, `burst ${i + 1}`);
      expectTrue(`burst ${i + 1} echoed intact`, back.equals(burst));
    }
    ctx.step('close');
    expectCode('close', await sock.close(), NSAPI_ERROR_OK);
  },
});
