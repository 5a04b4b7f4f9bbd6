// The seed's usage scenario: connect to a secure server and send a message. In mbedtls mode only
// ciphertext crosses the UART; in offload mode the message crosses it in clear.
import { defineScenario, expectCode, expectTrue, NSAPI_ERROR_OK, SocketAddress, TLSSocket } from 'tlssim';

export const MESSAGE = 'Hello, secure world! (tlssim demo message)';

export default defineScenario({
  name: 'connect-secure-server',
  description:
    'TLSSocket: set the CA and hostname, connect to the TLS echo server, send a message, read the echo',
  servers: ['tls-echo'],
  async app({ net, server, pki, step, metric }) {
    const echo = server('tls-echo');
    step('resolve the server');
    const address = new SocketAddress();
    expectCode(`gethostbyname(${echo.host})`, await net.gethostbyname(echo.host, address), NSAPI_ERROR_OK);
    address.set_port(echo.port);

    step('open, set the root CA and hostname');
    const sock = new TLSSocket();
    expectCode('open', sock.open(net), NSAPI_ERROR_OK);
    expectCode('set_root_ca_cert', await sock.set_root_ca_cert(pki.caPem), NSAPI_ERROR_OK);
    await sock.set_hostname(echo.host);

    step('connect (TLS handshake)');
    const started = performance.now();
    expectCode('connect', await sock.connect(address), NSAPI_ERROR_OK);
    metric('handshakeMs', Math.round(performance.now() - started));

    step('send the message and read the echo');
    const message = Buffer.from(MESSAGE);
    expectCode('send', await sock.send(message), message.length);
    const back = Buffer.alloc(message.length);
    for (let got = 0; got < message.length; ) {
      const n = await sock.recv(back.subarray(got));
      expectTrue(`recv returned ${n}`, n > 0);
      got += n;
    }
    expectTrue('echo matches', back.equals(message));
    step('close');
    expectCode('close', await sock.close(), NSAPI_ERROR_OK);
    // The destructor's work (~TLSSocketWrapper, connectivity/netsocket/source/TLSSocketWrapper.cpp):
    // close() keeps the TLS context, destroy() frees it, so the MCU's TLS heap ends at 0.
    await sock.destroy();
  },
  uart: {
    mbedtls: { absent: [MESSAGE] },
    offload: { present: [MESSAGE] },
  },
});
