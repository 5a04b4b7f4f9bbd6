// TLSSOCKET_OPEN_LIMIT: open sockets until NO_MEMORY/NO_SOCKET, twice; at least 4, the same count both times.
import {
  defineScenario,
  expectTrue,
  NSAPI_ERROR_NO_MEMORY,
  NSAPI_ERROR_NO_SOCKET,
  NSAPI_ERROR_OK,
  TLSSocket,
} from 'tlssim';

export default defineScenario({
  name: 'TLSSOCKET_OPEN_LIMIT',
  async app(ctx) {
    const counts: number[] = [];
    for (let round = 1; round <= 2; round++) {
      ctx.step(`round ${round}: open until the stack runs out`);
      const sockets: TLSSocket[] = [];
      for (;;) {
        const sock = new TLSSocket();
        const ret = sock.open(ctx.net);
        if (ret === NSAPI_ERROR_NO_MEMORY || ret === NSAPI_ERROR_NO_SOCKET) {
          await sock.destroy();
          break;
        }
        expectTrue(`open returned ${ret}`, ret === NSAPI_ERROR_OK);
        sockets.push(sock);
        expectTrue('the stack runs out before 100 sockets', sockets.length < 100);
      }
      counts.push(sockets.length);
      for (const sock of sockets) await sock.destroy();
    }
    ctx.log(`open limit: ${counts.join(' and ')} sockets`);
    expectTrue(`at least 4 sockets (got ${counts[0]})`, counts[0] >= 4);
    expectTrue(`same count in both rounds (${counts.join(' vs ')})`, counts[0] === counts[1]);
  },
});
