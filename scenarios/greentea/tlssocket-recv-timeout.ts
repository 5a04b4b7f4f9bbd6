// TLSSOCKET_RECV_TIMEOUT: set_timeout(100); WOULD_BLOCK is the only acceptable error, waited out on sigio.
// Each round first calls recv with nothing on its way (the echo server speaks only when spoken to), so
// the 100 ms timeout must end it with WOULD_BLOCK: a socket that ignored set_timeout would block there
// and fail the run at its timeout. Upstream also bounds the wait by the clock; a timing assert is
// flaky on a loaded CI machine, so the code is what is checked.
import {
  defineScenario,
  expectCode,
  expectTrue,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_WOULD_BLOCK,
  TLSSocket,
} from 'tlssim';
import { connectToServer, fillTxBufferAscii, SigioWaiter } from '../_support/greentea.ts';

const ROUNDS = 5;

export default defineScenario({
  name: 'TLSSOCKET_RECV_TIMEOUT',
  servers: ['tls-echo'],
  async app(ctx) {
    const sock = new TLSSocket();
    ctx.step('connect to the TLS echo server');
    expectCode('tlssocket_connect_to_srv', await connectToServer(ctx, sock, 'tls-echo'), NSAPI_ERROR_OK);
    const sigio = new SigioWaiter();
    sock.set_timeout(100);
    sock.sigio(sigio.callback);
    let timeouts = 0;
    for (let i = 0; i < ROUNDS; i++) {
      ctx.step(`round ${i + 1}: recv with nothing sent times out`);
      const idle = Buffer.alloc(100);
      expectCode('recv with nothing on its way', await sock.recv(idle), NSAPI_ERROR_WOULD_BLOCK);
      timeouts++;
      ctx.step(`round ${i + 1}: send 100 bytes, receive them with a 100 ms timeout`);
      const out = fillTxBufferAscii(100, i + 1);
      expectCode('send', await sock.send(out), 100);
      const back = Buffer.alloc(100);
      let got = 0;
      while (got < 100) {
        const n = await sock.recv(back.subarray(got));
        if (n === NSAPI_ERROR_WOULD_BLOCK) {
          timeouts++;
          expectTrue('sigio within 50 s after WOULD_BLOCK', await sigio.wait(50_000));
          continue;
        }
        expectTrue(`recv returned ${n}`, n > 0);
        got += n;
      }
      expectTrue('echo matches', back.equals(out));
    }
    ctx.metric('recvTimeouts', timeouts);
    expectTrue(`recv timed out ${timeouts} times, at least once a round`, timeouts >= ROUNDS);
    ctx.step('close');
    expectCode('close', await sock.close(), NSAPI_ERROR_OK);
  },
});
