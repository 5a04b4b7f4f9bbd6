// Interop with `openssl s_server` (OpenSSL, an independent implementation) over real loopback sockets:
// TLS 1.2 ECDHE-RSA and ECDHE-ECDSA with AES-128-GCM, client authentication, and the verification
// failures a device sees (untrusted CA, wrong hostname). s_server -rev answers each line reversed.
import { expect } from 'chai';
import {
  MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE,
  MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY,
  MBEDTLS_ERR_X509_CERT_VERIFY_FAILED,
  MBEDTLS_SSL_VERIFY_OPTIONAL,
  MBEDTLS_X509_BADCERT_CN_MISMATCH,
  MBEDTLS_X509_BADCERT_NOT_TRUSTED,
  type SslConfig,
  SslContext,
  x509VerifyInfo,
} from '../../../../mcu/tls/mbedtls/index.ts';
import { clientConfig } from './helpers/endpoints.ts';
import { CLIENT_NAME, makeOpensslPki, type OpensslPki, SERVER_NAME } from './helpers/openssl-pki.ts';
import { type OpensslServer, startOpensslServer } from './helpers/openssl-server.ts';
import { SocketBio } from './helpers/socket-bio.ts';

describe('Mbed TLS binding: interop with openssl s_server', function () {
  this.timeout(15_000);
  let pki: OpensslPki;
  let server: OpensslServer | undefined;
  let bio: SocketBio | undefined;

  before(() => {
    pki = makeOpensslPki();
  });

  after(() => pki.dispose());

  afterEach(async () => {
    bio?.close();
    bio = undefined;
    await server?.stop();
    server = undefined;
  });

  const rsaServer = ['-cert', 'server-rsa.pem', '-key', 'server-rsa.key'];
  const ecServer = ['-cert', 'server-ec.pem', '-key', 'server-ec.key'];

  async function connect(serverArgs: string[], config: SslConfig, hostname: string | null = SERVER_NAME) {
    server = await startOpensslServer(pki.dir, ['-tls1_2', '-rev', '-naccept', '1', ...serverArgs]);
    bio = await SocketBio.connect(server.port);
    const ctx = new SslContext();
    expect(ctx.setup(config)).to.equal(0);
    expect(ctx.setHostname(hostname)).to.equal(0);
    bio.attach(ctx);
    const ret = await bio.drive(() => ctx.handshake());
    return { ctx, ret, bio, server };
  }

  /** Sends one line and reads s_server's reversed answer up to its newline. */
  async function reverseLine(ctx: SslContext, socketBio: SocketBio, line: string): Promise<string> {
    const data = Buffer.from(`${line}\n`);
    expect(ctx.write(data)).to.equal(data.length);
    let answer = '';
    while (!answer.endsWith('\n')) {
      const buffer = new Uint8Array(256);
      const n = await socketBio.drive(() => ctx.read(buffer));
      expect(n, 'read').to.be.greaterThan(0);
      answer += Buffer.from(buffer.subarray(0, n)).toString();
    }
    return answer;
  }

  for (const [suite, mbedtlsName, serverArgs] of [
    ['ECDHE-RSA-AES128-GCM-SHA256', 'TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256', rsaServer],
    ['ECDHE-ECDSA-AES128-GCM-SHA256', 'TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256', ecServer],
  ] as const) {
    it(`handshakes TLS 1.2 ${suite} and exchanges data`, async () => {
      const {
        ctx,
        ret,
        bio: socketBio,
        server: s,
      } = await connect([...serverArgs, '-cipher', suite], clientConfig(pki));
      expect(ret).to.equal(0);
      expect(ctx.getVersion()).to.equal('TLSv1.2');
      expect(ctx.getCiphersuite()).to.equal(mbedtlsName);
      expect(ctx.getVerifyResult()).to.equal(0);
      expect(ctx.getPeerCert()?.subject).to.equal(`CN=${SERVER_NAME}`);
      expect(await reverseLine(ctx, socketBio, 'hello tlssim')).to.equal('misslt olleh\n');
      expect(ctx.closeNotify()).to.equal(0);
      await s.exited;
      expect(s.output()).to.match(new RegExp(`^Ciphersuite: ${suite}$`, 'm'));
    });
  }

  it('authenticates with a client certificate when the server requires one (-Verify 1)', async () => {
    const config = clientConfig(pki, { cert: 'client.pem', key: 'client.key' });
    const {
      ctx,
      ret,
      bio: socketBio,
      server: s,
    } = await connect([...ecServer, '-Verify', '1', '-CAfile', 'ca.pem'], config);
    expect(ret).to.equal(0);
    expect(await reverseLine(ctx, socketBio, 'mutual')).to.equal('lautum\n');
    expect(ctx.closeNotify()).to.equal(0);
    await s.exited;
    expect(s.output()).to.include(`Peer certificate: CN = ${CLIENT_NAME}`).and.to.include('Verification: OK');
  });

  it('is refused with a fatal alert when the server requires a client certificate and none is set', async () => {
    const { ret } = await connect([...ecServer, '-Verify', '1', '-CAfile', 'ca.pem'], clientConfig(pki));
    expect(ret).to.equal(MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE);
  });

  it('fails verification with X509_CERT_VERIFY_FAILED against the wrong CA', async () => {
    const { ctx, ret } = await connect(rsaServer, clientConfig(pki, { ca: 'other-ca.pem' }));
    expect(ret).to.equal(MBEDTLS_ERR_X509_CERT_VERIFY_FAILED);
    expect(ctx.getVerifyResult() & MBEDTLS_X509_BADCERT_NOT_TRUSTED).to.not.equal(0);
    expect(x509VerifyInfo(ctx.getVerifyResult())).to.include('not correctly signed by the trusted CA');
  });

  it('fails verification when the hostname does not match the certificate', async () => {
    const { ctx, ret } = await connect(rsaServer, clientConfig(pki), 'wrong.tlssim.test');
    expect(ret).to.equal(MBEDTLS_ERR_X509_CERT_VERIFY_FAILED);
    expect(ctx.getVerifyResult()).to.equal(MBEDTLS_X509_BADCERT_CN_MISMATCH);
  });

  it('connects despite a hostname mismatch with VERIFY_OPTIONAL, reporting it in the verify result', async () => {
    const config = clientConfig(pki, { authmode: MBEDTLS_SSL_VERIFY_OPTIONAL });
    const { ctx, ret, bio: socketBio } = await connect(rsaServer, config, 'wrong.tlssim.test');
    expect(ret).to.equal(0);
    expect(ctx.getVerifyResult()).to.equal(MBEDTLS_X509_BADCERT_CN_MISMATCH);
    expect(await reverseLine(ctx, socketBio, 'optional')).to.equal('lanoitpo\n');
  });

  it('reads the end of the connection as PEER_CLOSE_NOTIFY when s_server closes', async () => {
    const { ctx, ret, bio: socketBio } = await connect(rsaServer, clientConfig(pki));
    expect(ret).to.equal(0);
    // s_server -rev closes (with close_notify) when it receives a line that is exactly "CLOSE".
    const data = Buffer.from('CLOSE\n');
    expect(ctx.write(data)).to.equal(data.length);
    const buffer = new Uint8Array(256);
    let n: number;
    do n = await socketBio.drive(() => ctx.read(buffer));
    while (n > 0);
    expect(n).to.equal(MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY);
  });
});
