// TLS over a cellular link as slow as NB-IoT's bandwidth (70 kbit/s up, 32 kbit/s down), with a
// shortened delay so the suite stays quick: the handshake and a 2 KB echo still complete, in both
// placements, and the connect time under the link is recorded (docs/reliability.md, "Link profiles").
import { defineScenario, expectCode, expectTrue, NSAPI_ERROR_OK, TLSSocket } from 'tlssim';
import { recvExactly, resolveServer } from './_support/greentea.ts';

export default defineScenario({
  name: 'cellular-link',
  description: 'TLS connect and a 2 KB echo over a shaped link (NB-IoT bandwidth, 100 ms ± 30 ms each way)',
  servers: ['tls-echo'],
  link: { profile: 'nb-iot', delayMs: 100, jitterMs: 30 },
  async app(ctx) {
    const { net, server, pki, step, metric } = ctx;
    const echo = server('tls-echo');
    const address = await resolveServer(ctx, 'tls-echo');
    const sock = new TLSSocket();
    expectCode('open', sock.open(net), NSAPI_ERROR_OK);
    expectCode('set_root_ca_cert', await sock.set_root_ca_cert(pki.caPem), NSAPI_ERROR_OK);
    await sock.set_hostname(echo.host);
    step('connect over the link');
    const started = performance.now();
    expectCode('connect', await sock.connect(address), NSAPI_ERROR_OK);
    // Measured, not asserted (timings belong in bench/); the suite checks the modem ran with this link.
    metric('connectMs', Math.round(performance.now() - started));
    step('echo 2 KB');
    const payload = Buffer.alloc(2048, 0x5a);
    for (let sent = 0; sent < payload.length; ) {
      const n = await sock.send(payload.subarray(sent));
      expectTrue(`send returned ${n}`, n > 0);
      sent += n;
    }
    const back = await recvExactly(sock, payload.length, 'the echo');
    expectTrue('the echo is intact', back.equals(payload));
    expectCode('close', await sock.close(), NSAPI_ERROR_OK);
    await sock.destroy();
  },
});
