// TLSSOCKET_ECHOTEST_BURST: 20 bursts of 1220 bytes, blocking, with sigio set.
import { defineScenario, expectCode, expectTrue, NSAPI_ERROR_OK, TLSSocket } from 'tlssim';
import { connectToServer, fillTxBufferAscii, recvExactly } from '../_support/greentea.ts';

const BURSTS = 20;
const BURST_SIZE = 1220;

export default defineScenario({
  name: 'TLSSOCKET_ECHOTEST_BURST',
  servers: ['tls-echo'],
  timeoutMs: 120_000,
  async app(ctx) {
    const sock = new TLSSocket();
    ctx.step('connect to the TLS echo server');
    expectCode('tlssocket_connect_to_srv', await connectToServer(ctx, sock, 'tls-echo'), NSAPI_ERROR_OK);
    sock.sigio(() => {});
    const burst = fillTxBufferAscii(BURST_SIZE);
    for (let i = 0; i < BURSTS; i++) {
      ctx.step(`burst ${i + 1} of ${BURSTS}`);
      expectCode('send', await sock.send(burst), BURST_SIZE);
      expectTrue(
        `burst ${i + 1} echoed intact`,
        (await recvExactly(sock, BURST_SIZE, `burst ${i + 1}`)).equals(burst),
      );
    }
    ctx.step('close');
    expectCode('close', await sock.close(), NSAPI_ERROR_OK);
  },
});
