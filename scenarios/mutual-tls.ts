// Mutual TLS: the server requires a client certificate. In offload mode the client's private key is
// uploaded to the modem (AT+QFUPL) and so crosses the UART; in mbedtls mode it never leaves the MCU.
import { defineScenario, expectCode, expectTrue, NSAPI_ERROR_OK, SocketAddress, TLSSocket } from 'tlssim';

/** A line from the middle of a PEM body: proof the key itself crossed, not just its label. */
function pemBodyLine(pem: string): string {
  const lines = pem.trim().split('\n');
  return lines[Math.floor(lines.length / 2)];
}

export default defineScenario({
  name: 'mutual-tls',
  description: 'client certificate and key set with set_client_cert_key; the server verifies the client',
  servers: ['tls-mtls-echo'],
  async app({ net, server, pki, step, metric }) {
    const mtls = server('tls-mtls-echo');
    const address = new SocketAddress();
    step('resolve the server');
    expectCode('gethostbyname', await net.gethostbyname(mtls.host, address), NSAPI_ERROR_OK);
    address.set_port(mtls.port);
    const sock = new TLSSocket();
    step('open, set the CA, hostname, client certificate and key');
    expectCode('open', sock.open(net), NSAPI_ERROR_OK);
    expectCode('set_root_ca_cert', await sock.set_root_ca_cert(pki.caPem), NSAPI_ERROR_OK);
    await sock.set_hostname(mtls.host);
    expectCode(
      'set_client_cert_key',
      await sock.set_client_cert_key(pki.clientCertPem, pki.clientKeyPem),
      NSAPI_ERROR_OK,
    );
    step('connect (the server asks for and verifies the client certificate)');
    const started = performance.now();
    expectCode('connect', await sock.connect(address), NSAPI_ERROR_OK);
    metric('handshakeMs', Math.round(performance.now() - started));
    step('echo');
    const message = Buffer.from('authenticated hello');
    expectCode('send', await sock.send(message), message.length);
    const back = Buffer.alloc(message.length);
    for (let got = 0; got < message.length; ) {
      const n = await sock.recv(back.subarray(got));
      expectTrue(`recv returned ${n}`, n > 0);
      got += n;
    }
    expectTrue('echo matches', back.equals(message));
    expectCode('close', await sock.close(), NSAPI_ERROR_OK);
    // The destructor's work (~TLSSocketWrapper, connectivity/netsocket/source/TLSSocketWrapper.cpp):
    // frees the context, client certificate and key close() keeps, so the MCU's TLS heap ends at 0.
    await sock.destroy();
  },
  uart: (_mode, { pki }) => ({
    mbedtls: { absent: [pemBodyLine(pki.clientKeyPem), 'PRIVATE KEY', 'authenticated hello'] },
    offload: { present: [pemBodyLine(pki.clientKeyPem), 'PRIVATE KEY', 'authenticated hello'] },
  }),
});
