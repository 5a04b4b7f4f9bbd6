// Credentials uploaded as DER rather than PEM. The module's TLS library reads either (as
// mbedtls_x509_crt_parse / mbedtls_pk_parse_key do), so a DER CA must verify the server exactly as the
// PEM one does, never surface as a server-certificate failure (572); a file that is neither is refused
// at AT+QSSLOPEN with 552 (Quectel BG96 SSL AT Commands Manual, +QSSLOPEN <err>; docs/deviations.md).
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { expect } from 'chai';
import { type ModemHarness, startModem } from './helpers/modem-harness.ts';
import { generateTestPki, type TestPki } from './helpers/test-pki.ts';
import { startTlsEcho, type TlsTestServer } from './helpers/tls-test-server.ts';

/** A PEM certificate as the bytes of its DER encoding, in the latin1 text the AT client writes. */
const derCert = (pem: string): string => Buffer.from(new X509Certificate(pem).raw).toString('latin1');

describe('modem QSSL credentials in DER', () => {
  let pki: TestPki;
  let h: ModemHarness;
  const servers: TlsTestServer[] = [];

  before(() => {
    pki = generateTestPki();
  });
  beforeEach(async () => {
    h = await startModem({}, true);
  });
  afterEach(async () => {
    await h.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function upload(name: string, text: string): Promise<void> {
    h.at.write(`AT+QFDEL="${name}"\r`);
    await h.at.until(/\r\n(OK|\+CME ERROR: 405)\r\n/);
    h.at.write(`AT+QFUPL="${name}",${Buffer.byteLength(text, 'latin1')}\r`);
    await h.at.until('\r\nCONNECT\r\n');
    h.at.write(text);
    await h.at.until(/\+QFUPL: \d+,[0-9a-f]+\r\n\r\nOK\r\n/);
  }

  async function configure(...lines: string[]): Promise<void> {
    for (const line of lines) expect(await h.at.command(`AT+QSSLCFG=${line}`), line).to.equal('\r\nOK\r\n');
  }

  async function open(port: number, id: number): Promise<number> {
    expect(await h.at.command(`AT+QSSLOPEN=1,0,${id},"127.0.0.1",${port},0`)).to.equal('\r\nOK\r\n');
    const urc = await h.at.until(new RegExp(`\\r\\n\\+QSSLOPEN: ${id},(-?\\d+)\\r\\n`));
    return Number(/,(-?\d+)\r\n$/.exec(urc)?.[1]);
  }

  it('verifies the server against a DER CA certificate, and still refuses an untrusted one', async () => {
    const server = await startTlsEcho({ cert: pki.server.cert, key: pki.server.key });
    const untrusted = await startTlsEcho({ cert: pki.untrustedServer.cert, key: pki.untrustedServer.key });
    servers.push(server, untrusted);
    await upload('cacert.pem', derCert(pki.caCert));
    await configure('"cacert",0,"cacert.pem"', '"seclevel",0,1');
    expect(await open(server.port, 0)).to.equal(0);
    expect(await open(untrusted.port, 1)).to.equal(572);
  });

  it('presents a DER client certificate and DER (PKCS#8) key at seclevel 2', async () => {
    const mtls = await startTlsEcho({
      cert: pki.server.cert,
      key: pki.server.key,
      requestCert: true,
      rejectUnauthorized: true,
      ca: pki.caCert,
    });
    servers.push(mtls);
    const keyDer = createPrivateKey(pki.client.key).export({ format: 'der', type: 'pkcs8' });
    await upload('cacert.pem', derCert(pki.caCert));
    await upload('clcert.pem', derCert(pki.client.cert));
    await upload('client.key', keyDer.toString('latin1'));
    await configure(
      '"cacert",0,"cacert.pem"',
      '"clientcert",0,"clcert.pem"',
      '"clientkey",0,"client.key"',
      '"seclevel",0,2',
    );
    expect(await open(mtls.port, 0)).to.equal(0);
    expect(mtls.clients.at(-1)?.clientCertificate).to.equal(true);
  });

  it('refuses a CA file that is neither PEM nor DER with 552 at open, not 572', async () => {
    const server = await startTlsEcho({ cert: pki.server.cert, key: pki.server.key });
    servers.push(server);
    await configure('"cacert",0,"cacert.pem"', '"seclevel",0,1');
    for (const garbage of [
      '\x30\x82\x01\x00not really DER',
      'neither PEM nor DER',
      derCert(pki.caCert).slice(0, 40),
    ]) {
      await upload('cacert.pem', garbage);
      expect(await open(server.port, 0), JSON.stringify(garbage.slice(0, 12))).to.equal(552);
    }
    expect(h.log.join('\n')).to.contain('cacert is not a certificate');
  });
});
