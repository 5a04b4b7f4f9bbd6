// TLSSOCKET_ECHOTEST_NONBLOCK: blocking connect, then non-blocking send/recv driven by sigio.
import { defineScenario, expectCode, expectTrue, NSAPI_ERROR_OK, TLSSocket } from 'tlssim';
import {
  connectToServer,
  ECHO_SIZES,
  fillTxBufferAscii,
  recvAllNonBlocking,
  SigioWaiter,
  sendAllNonBlocking,
} from '../_support/greentea.ts';

export default defineScenario({
  name: 'TLSSOCKET_ECHOTEST_NONBLOCK',
  servers: ['tls-echo'],
  async app(ctx) {
    const sock = new TLSSocket();
    ctx.step('connect to the TLS echo server');
    expectCode('tlssocket_connect_to_srv', await connectToServer(ctx, sock, 'tls-echo'), NSAPI_ERROR_OK);
    const sigio = new SigioWaiter();
    sock.set_blocking(false);
    sock.sigio(sigio.callback);
    for (const size of ECHO_SIZES) {
      ctx.step(`echo ${size} bytes without blocking`);
      const out = fillTxBufferAscii(size);
      // The receiver runs beside the sender, as the Greentea test's event-queue thread does.
      const [, back] = await Promise.all([
        sendAllNonBlocking(sock, out, sigio, `send ${size}`),
        recvAllNonBlocking(sock, size, sigio, `recv ${size}`),
      ]);
      expectTrue(`echo of ${size} bytes matches`, back.equals(out));
    }
    ctx.step('close');
    expectCode('close', await sock.close(), NSAPI_ERROR_OK);
  },
});
