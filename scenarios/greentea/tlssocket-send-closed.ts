// TLSSOCKET_SEND_CLOSED: send after close is NO_SOCKET.
import { defineScenario, expectCode, NSAPI_ERROR_NO_SOCKET, NSAPI_ERROR_OK, TLSSocket } from 'tlssim';
import { connectToServer } from '../_support/greentea.ts';

export default defineScenario({
  name: 'TLSSOCKET_SEND_CLOSED',
  servers: ['tls-echo'],
  async app(ctx) {
    const sock = new TLSSocket();
    ctx.step('connect to the TLS echo server');
    expectCode('tlssocket_connect_to_srv', await connectToServer(ctx, sock, 'tls-echo'), NSAPI_ERROR_OK);
    ctx.step('close, then send');
    expectCode('close', await sock.close(), NSAPI_ERROR_OK);
    expectCode('send after close', await sock.send(Buffer.from('12345')), NSAPI_ERROR_NO_SOCKET);
  },
});
