// TLSSOCKET_ECHOTEST: each of the 22 sizes sent once and echoed back by the TLS echo server.
import { defineScenario, expectCode, expectTrue, NSAPI_ERROR_OK, TLSSocket } from 'tlssim';
import { connectToServer, ECHO_SIZES, fillTxBufferAscii, recvExactly } from '../_support/greentea.ts';

export default defineScenario({
  name: 'TLSSOCKET_ECHOTEST',
  servers: ['tls-echo'],
  async app(ctx) {
    const sock = new TLSSocket();
    ctx.step('connect to the TLS echo server');
    expectCode('tlssocket_connect_to_srv', await connectToServer(ctx, sock, 'tls-echo'), NSAPI_ERROR_OK);
    for (const size of ECHO_SIZES) {
      ctx.step(`echo ${size} bytes`);
      const out = fillTxBufferAscii(size);
      expectCode(`send(${size})`, await sock.send(out), size);
      expectTrue(
        `echo of ${size} bytes matches`,
        (await recvExactly(sock, size, `echo ${size}`)).equals(out),
      );
    }
    ctx.step('close');
    expectCode('close', await sock.close(), NSAPI_ERROR_OK);
  },
});
