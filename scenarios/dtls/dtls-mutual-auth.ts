// DTLS with client authentication: the server requires the lab client certificate.
import { defineScenario, expectCode, NSAPI_ERROR_OK } from 'tlssim';
import { connectDtls, echoWithRetry } from './_dtls.ts';

export default defineScenario({
  name: 'dtls-mutual-auth',
  modes: ['mbedtls'],
  servers: ['dtls-mtls-echo'],
  async app(ctx) {
    const sock = await connectDtls(ctx, 'dtls-mtls-echo', { clientCert: true });
    ctx.step('echo');
    await echoWithRetry(sock, Buffer.from('authenticated datagram'), 3, 2000);
    expectCode('close', await sock.close(), NSAPI_ERROR_OK);
  },
  uart: (_mode, { pki }) => ({ mbedtls: { absent: ['PRIVATE KEY', pki.clientKeyPem.split('\n')[5]] } }),
});
