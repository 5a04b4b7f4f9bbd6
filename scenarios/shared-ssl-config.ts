// Two TLSSockets sharing one Mbed TLS configuration: B uses A's config (and so A's CA chain) through
// get_ssl_config/set_ssl_config. Mbed TLS objects live on the MCU, so this is mbedtls mode only.
import {
  defineScenario,
  expectCode,
  expectTrue,
  MbedtlsTLSSocket,
  NSAPI_ERROR_OK,
  SocketAddress,
  TLSSocket,
} from 'tlssim';

export default defineScenario({
  name: 'shared-ssl-config',
  modes: ['mbedtls'],
  servers: ['tls-echo'],
  async app({ net, server, pki, step }) {
    const echo = server('tls-echo');
    const address = new SocketAddress();
    expectCode('gethostbyname', await net.gethostbyname(echo.host, address), NSAPI_ERROR_OK);
    address.set_port(echo.port);
    const a = new TLSSocket() as MbedtlsTLSSocket;
    const b = new TLSSocket() as MbedtlsTLSSocket;
    expectTrue('TLSSocket is the Mbed TLS variant in this mode', a instanceof MbedtlsTLSSocket);
    step('socket A gets the CA; socket B shares A’s config');
    expectCode('A.open', a.open(net), NSAPI_ERROR_OK);
    expectCode('A.set_root_ca_cert', a.set_root_ca_cert(pki.caPem), NSAPI_ERROR_OK);
    b.set_ssl_config(a.get_ssl_config());
    expectTrue('B uses the same config object', b.get_ssl_config() === a.get_ssl_config());
    expectCode('B.open', b.open(net), NSAPI_ERROR_OK);
    a.set_hostname(echo.host);
    b.set_hostname(echo.host);
    step('both connect with the one config');
    expectCode('A.connect', await a.connect(address), NSAPI_ERROR_OK);
    expectCode('B.connect', await b.connect(address), NSAPI_ERROR_OK);
    for (const [name, sock] of [
      ['A', a],
      ['B', b],
    ] as const) {
      step(`echo on ${name}`);
      const message = Buffer.from(`hello from ${name}`);
      expectCode(`${name}.send`, await sock.send(message), message.length);
      const back = Buffer.alloc(message.length);
      for (let got = 0; got < message.length; ) got += Math.max(0, await sock.recv(back.subarray(got)));
      expectTrue(`${name} echo matches`, back.equals(message));
    }
    step('close B first (A owns the config and must outlive B)');
    expectCode('B.close', await b.close(), NSAPI_ERROR_OK);
    expectCode('A.close', await a.close(), NSAPI_ERROR_OK);
  },
});
