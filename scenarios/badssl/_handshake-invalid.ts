// One bad-certificate server, one fresh TLSSocket with the lab CA: connect must be AUTH_FAILURE.
import {
  defineScenario,
  expectCode,
  NSAPI_ERROR_AUTH_FAILURE,
  NSAPI_ERROR_OK,
  type ScenarioDefinition,
  SocketAddress,
  TLSSocket,
} from 'tlssim';

export function badCertificateScenario(kind: string, flaw: string): ScenarioDefinition {
  return defineScenario({
    name: `handshake-invalid-${kind.replace(/^badssl-/, '')}`,
    description: `a server whose certificate is ${flaw} is refused with NSAPI_ERROR_AUTH_FAILURE`,
    servers: [kind],
    async app({ net, server, pki, step }) {
      const bad = server(kind);
      const address = new SocketAddress();
      step(`resolve ${bad.host}`);
      expectCode('gethostbyname', await net.gethostbyname(bad.host, address), NSAPI_ERROR_OK);
      address.set_port(bad.port);
      const sock = new TLSSocket();
      step('open, set the lab CA and the hostname');
      expectCode('open', sock.open(net), NSAPI_ERROR_OK);
      expectCode('set_root_ca_cert', await sock.set_root_ca_cert(pki.caPem), NSAPI_ERROR_OK);
      await sock.set_hostname(bad.host);
      step(`connect to a server whose certificate is ${flaw}`);
      expectCode('connect', await sock.connect(address), NSAPI_ERROR_AUTH_FAILURE);
      step('close');
      expectCode('close', await sock.close(), NSAPI_ERROR_OK);
    },
  });
}
