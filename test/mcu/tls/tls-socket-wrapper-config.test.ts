// TLSSocketWrapper's configuration API (TLSSocketWrapper.cpp: set_root_ca_cert() … set_ssl_config(), and the
// debug callbacks) against real handshakes: the PEM length rule and DER, client certificates for a server
// that requires one, a config shared by two sockets, the CA chain and own certificate getters/setters, and
// the debug level that forwards Mbed TLS lines.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { expect } from 'chai';
import { setConfig } from '../../../mcu/mbed-config.ts';
import { mbedtlsDebugSetThreshold, X509Crt } from '../../../mcu/tls/mbedtls/index.ts';
import { cStringOf } from '../../../mcu/tls/pem-length.ts';
import { formatLogLine, setLogSink } from '../../../shared/log.ts';
import { NSAPI_ERROR_AUTH_FAILURE, NSAPI_ERROR_OK, NSAPI_ERROR_PARAMETER } from '../../../shared/nsapi.ts';
import { expectEcho, labAddress, useLab, useWrappers } from './wrapper-fixture.ts';

const PING = Buffer.from('ping');

function derOfCertificate(pem: string): Buffer {
  return new X509Certificate(pem).raw;
}

function derOfKey(pem: string): Buffer {
  return createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
}

describe('TLSSocketWrapper configuration API (TLSSocketWrapper.h) on real handshakes', function () {
  this.timeout(10_000);
  const lab = useLab(['tls-echo', 'tls-mtls-echo']);
  const wrap = useWrappers(lab);
  const echo = () => labAddress(lab(), 'tls-echo');
  const mtls = () => labAddress(lab(), 'tls-mtls-echo');
  const mtlsHost = () => lab().server('tls-mtls-echo').host;

  describe('set_root_ca_cert: the PEM length rule and DER', () => {
    it('a string counts its NUL (strlen + 1): OK, and the handshake verifies', async () => {
      const { wrapper } = wrap({ trustLab: false });
      expect(wrapper.set_root_ca_cert(lab().pki.caPem)).to.equal(NSAPI_ERROR_OK);
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
    });

    it('the same PEM as bytes without the NUL → PARAMETER; with it → OK', () => {
      const { wrapper } = wrap({ trustLab: false });
      const pem = Buffer.from(lab().pki.caPem);
      expect(wrapper.set_root_ca_cert(pem)).to.equal(NSAPI_ERROR_PARAMETER);
      expect(wrapper.set_root_ca_cert(pem, pem.length)).to.equal(NSAPI_ERROR_PARAMETER);
      expect(wrapper.get_ca_chain()).to.equal(null);
      const withNul = cStringOf(lab().pki.caPem);
      expect(wrapper.set_root_ca_cert(withNul, withNul.length - 1), 'len stops short of the NUL').to.equal(
        NSAPI_ERROR_PARAMETER,
      );
      expect(wrapper.set_root_ca_cert(withNul, withNul.length)).to.equal(NSAPI_ERROR_OK);
    });

    it('DER bytes (raw length) → OK, and the handshake verifies', async () => {
      const { wrapper } = wrap({ trustLab: false });
      expect(wrapper.set_root_ca_cert(derOfCertificate(lab().pki.caPem))).to.equal(NSAPI_ERROR_OK);
      expect(wrapper.get_ca_chain()?.count()).to.equal(1);
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
    });

    it('garbage → PARAMETER and the previous chain stays, still trusted', async () => {
      const { wrapper } = wrap();
      const before = wrapper.get_ca_chain();
      expect(before).to.not.equal(null);
      expect(wrapper.set_root_ca_cert(Buffer.from([0x30, 0x82, 0x01, 0x00, 0xde, 0xad]))).to.equal(
        NSAPI_ERROR_PARAMETER,
      );
      expect(
        wrapper.set_root_ca_cert('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
      ).to.equal(NSAPI_ERROR_PARAMETER);
      expect(wrapper.get_ca_chain()).to.equal(before);
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
    });

    it('a second CA replaces the first (it is not added): trusting only another root fails verification', async () => {
      const { wrapper } = wrap();
      expect(wrapper.set_root_ca_cert(lab().pki.untrustedRootPem)).to.equal(NSAPI_ERROR_OK);
      expect(wrapper.get_ca_chain()?.count()).to.equal(1);
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_AUTH_FAILURE);
    });

    it('no CA at all (VERIFY_REQUIRED by default) → AUTH_FAILURE', async () => {
      const { wrapper } = wrap({ trustLab: false });
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_AUTH_FAILURE);
    });
  });

  describe('set_client_cert_key against a server that requires a client certificate', () => {
    it('without a client certificate the server refuses → AUTH_FAILURE', async () => {
      const { wrapper } = wrap({ hostname: mtlsHost() });
      expect(await wrapper.connect(mtls())).to.equal(NSAPI_ERROR_AUTH_FAILURE);
    });

    it('PEM strings (strlen + 1 each) → OK, and the server accepts the client', async () => {
      const { wrapper } = wrap({ hostname: mtlsHost() });
      expect(wrapper.set_client_cert_key(lab().pki.clientCertPem, lab().pki.clientKeyPem)).to.equal(
        NSAPI_ERROR_OK,
      );
      expect(await wrapper.connect(mtls())).to.equal(NSAPI_ERROR_OK);
      await expectEcho(wrapper, PING);
    });

    it('PEM bytes with explicit lengths, and a certificate chain (leaf + intermediate) → OK', async () => {
      const { wrapper } = wrap({ hostname: mtlsHost() });
      const cert = cStringOf(lab().pki.clientChainPem);
      const key = cStringOf(lab().pki.clientKeyPem);
      expect(wrapper.set_client_cert_key(cert, cert.length, key, key.length)).to.equal(NSAPI_ERROR_OK);
      expect(wrapper.get_own_cert()?.count()).to.equal(2);
      expect(await wrapper.connect(mtls())).to.equal(NSAPI_ERROR_OK);
      await expectEcho(wrapper, PING);
    });

    it('DER certificate and DER (PKCS#8) key → OK', async () => {
      const { wrapper } = wrap({ hostname: mtlsHost() });
      const cert = derOfCertificate(lab().pki.clientCertPem);
      const key = derOfKey(lab().pki.clientKeyPem);
      expect(wrapper.set_client_cert_key(cert, cert.length, key, key.length)).to.equal(NSAPI_ERROR_OK);
      expect(await wrapper.connect(mtls())).to.equal(NSAPI_ERROR_OK);
      await expectEcho(wrapper, PING);
    });

    it('an invalid certificate or key → PARAMETER, and the pair set before still works', async () => {
      const { wrapper } = wrap({ hostname: mtlsHost() });
      const { clientCertPem, clientKeyPem } = lab().pki;
      expect(wrapper.set_client_cert_key(clientCertPem, clientKeyPem)).to.equal(NSAPI_ERROR_OK);
      const own = wrapper.get_own_cert();
      expect(wrapper.set_client_cert_key('not a certificate', clientKeyPem)).to.equal(NSAPI_ERROR_PARAMETER);
      expect(wrapper.set_client_cert_key(clientCertPem, 'not a key')).to.equal(NSAPI_ERROR_PARAMETER);
      // A certificate where the key should be is not a key either.
      expect(wrapper.set_client_cert_key(clientCertPem, clientCertPem)).to.equal(NSAPI_ERROR_PARAMETER);
      expect(wrapper.get_own_cert()).to.equal(own);
      expect(await wrapper.connect(mtls())).to.equal(NSAPI_ERROR_OK);
      await expectEcho(wrapper, PING);
    });
  });

  describe('get/set_ssl_config: one real config shared by two sockets', () => {
    it('B uses A’s config (and so A’s CA): both handshake and echo', async () => {
      const a = wrap();
      const b = wrap({ trustLab: false });
      const shared = a.wrapper.get_ssl_config();
      b.wrapper.set_ssl_config(shared);
      expect(b.wrapper.get_ssl_config()).to.equal(shared);
      expect(b.wrapper.get_ca_chain(), 'B holds no CA of its own').to.equal(null);
      expect(await a.wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
      expect(await b.wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
      await expectEcho(a.wrapper, Buffer.from('from A'));
      await expectEcho(b.wrapper, Buffer.from('from B'));
      expect(await b.wrapper.close()).to.equal(NSAPI_ERROR_OK);
      await expectEcho(a.wrapper, Buffer.from('A outlives B'));
    });

    it('set_ssl_config(null): the next get_ssl_config makes a fresh default one (no CA in it)', async () => {
      const { wrapper } = wrap();
      const first = wrapper.get_ssl_config();
      wrapper.set_ssl_config(null);
      expect(wrapper.get_ssl_config()).to.not.equal(first);
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_AUTH_FAILURE);
    });
  });

  describe('get/set_ca_chain and get/set_own_cert', () => {
    it('set_ca_chain takes a caller-owned chain (get returns it, the handshake uses it); null removes it', async () => {
      const chain = new X509Crt();
      expect(chain.parse(cStringOf(lab().pki.caPem))).to.equal(0);
      const good = wrap({ trustLab: false });
      good.wrapper.set_ca_chain(chain);
      expect(good.wrapper.get_ca_chain()).to.equal(chain);
      expect(await good.wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
      const none = wrap();
      none.wrapper.set_ca_chain(null);
      expect(none.wrapper.get_ca_chain()).to.equal(null);
      expect(await none.wrapper.connect(echo())).to.equal(NSAPI_ERROR_AUTH_FAILURE);
    });

    it('set_own_cert: a caller-owned certificate goes with the key already set; get returns it; null clears', async () => {
      const { wrapper } = wrap({ hostname: mtlsHost() });
      expect(wrapper.get_own_cert()).to.equal(null);
      expect(wrapper.set_own_cert(null)).to.equal(0);
      expect(wrapper.set_client_cert_key(lab().pki.clientCertPem, lab().pki.clientKeyPem)).to.equal(
        NSAPI_ERROR_OK,
      );
      const mine = new X509Crt();
      expect(mine.parse(cStringOf(lab().pki.clientChainPem))).to.equal(0);
      expect(wrapper.set_own_cert(mine)).to.equal(0);
      expect(wrapper.get_own_cert()).to.equal(mine);
      expect(await wrapper.connect(mtls())).to.equal(NSAPI_ERROR_OK);
      await expectEcho(wrapper, PING);
      expect(wrapper.set_own_cert(null)).to.equal(0);
      expect(wrapper.get_own_cert()).to.equal(null);
    });

    it('set_hostname before connect decides the name checked: a wrong one → AUTH_FAILURE', async () => {
      const { wrapper } = wrap();
      wrapper.set_hostname('not-the-echo.tlssim.test');
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_AUTH_FAILURE);
    });
  });

  describe('tls-socket.debug-level (MBED_CONF_TLS_SOCKET_DEBUG_LEVEL)', () => {
    afterEach(() => {
      setConfig('tls-socket.debug-level', 0);
      mbedtlsDebugSetThreshold(0);
      setLogSink(null);
    });

    it('above 0 forwards Mbed TLS debug lines and the verify callback to the MCU log (group TLSW)', async () => {
      const lines: string[] = [];
      setLogSink((line) => lines.push(formatLogLine(line)));
      setConfig('tls-socket.debug-level', 1);
      const { wrapper } = wrap();
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
      expect(lines.some((line) => /^\[DBG\]\[TLSW\]: .*ssl_\w+\.c:\d+: \|1\| /.test(line))).to.equal(true);
      expect(lines.some((line) => line.startsWith('[DBG][TLSW]: Verify requested for (Depth 0)'))).to.equal(
        true,
      );
    });

    it('at 0 (the default) no debug line appears, only the info and error lines', async () => {
      const lines: string[] = [];
      setLogSink((line) => lines.push(formatLogLine(line)));
      const { wrapper } = wrap();
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
      expect(lines.filter((line) => line.startsWith('[DBG]'))).to.deep.equal([]);
      expect(lines.some((line) => line.includes('TLS connection to'))).to.equal(true);
    });
  });
});
