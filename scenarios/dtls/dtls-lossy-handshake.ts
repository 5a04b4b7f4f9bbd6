// A DTLS handshake over a path that loses 1 in 4 datagrams, duplicates 1 in 5 and reorders within a
// window of 3 (seeded, so a failure replays): Mbed TLS's retransmission timers carry it through. The
// runner fails the run if the proxy dropped or duplicated nothing, though it declares those faults (faults.json;
// lab/runner/fault-checks.ts), so the scenario cannot pass over a path that lost nothing.
import { defineScenario, expectCode, NSAPI_ERROR_OK } from 'tlssim';
import { connectDtls, echoWithRetry } from './_dtls.ts';

export default defineScenario({
  name: 'dtls-lossy-handshake',
  description: '25 % loss, duplication and reordering; short retransmission timeouts keep it quick',
  modes: ['mbedtls'],
  servers: ['dtls-echo'],
  faults: { seed: 7, drop: 4, duplicate: 5, reorder: 3 },
  dtlsServer: { handshakeTimeout: { minMs: 200, maxMs: 6400 } },
  timeoutMs: 90_000,
  async app(ctx) {
    const sock = await connectDtls(ctx, 'dtls-echo', { handshakeTimeout: [200, 6400] });
    for (const size of [16, 256, 1024]) {
      ctx.step(`echo ${size} bytes with retries`);
      const attempts = await echoWithRetry(sock, Buffer.alloc(size, 0x41), 10, 800);
      ctx.metric(`attempts${size}`, attempts);
    }
    ctx.step('close');
    expectCode('close', await sock.close(), NSAPI_ERROR_OK);
  },
});
