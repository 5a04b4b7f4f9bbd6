// DTLS 1.2 interop with `openssl s_server -dtls1_2` over a real loopback UDP socket: OpenSSL's
// HelloVerifyRequest cookie exchange, the Mbed TLS retransmission timer on real time after a lost
// datagram, and data both ways (s_server prints what it receives and sends what it reads on its stdin).
import { expect } from 'chai';
import {
  MBEDTLS_ERR_X509_CERT_VERIFY_FAILED,
  MBEDTLS_SSL_TRANSPORT_DATAGRAM,
  SslContext,
} from '../../../../mcu/tls/mbedtls/index.ts';
import { DatagramBio } from './helpers/datagram-bio.ts';
import { clientConfig } from './helpers/endpoints.ts';
import { makeOpensslPki, type OpensslPki, SERVER_NAME } from './helpers/openssl-pki.ts';
import { type OpensslServer, startOpensslServer } from './helpers/openssl-server.ts';

describe('Mbed TLS binding: DTLS interop with openssl s_server -dtls1_2', function () {
  this.timeout(15_000);
  let pki: OpensslPki;
  let server: OpensslServer | undefined;
  let bio: DatagramBio | undefined;

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

  async function connect(ca: string) {
    server = await startOpensslServer(pki.dir, [
      '-dtls1_2',
      '-naccept',
      '1',
      '-cert',
      'server-ec.pem',
      '-key',
      'server-ec.key',
      '-cipher',
      'ECDHE-ECDSA-AES128-GCM-SHA256',
    ]);
    bio = await DatagramBio.connect(server.port);
    const ctx = new SslContext();
    expect(ctx.setup(clientConfig(pki, { transport: MBEDTLS_SSL_TRANSPORT_DATAGRAM, ca }))).to.equal(0);
    expect(ctx.setHostname(SERVER_NAME)).to.equal(0);
    bio.attach(ctx);
    return { ctx, ret: await bio.drive(() => ctx.handshake()), bio, server };
  }

  it('handshakes through OpenSSL cookies and exchanges datagrams both ways', async () => {
    const { ctx, ret, bio: datagrams, server: s } = await connect('ca.pem');
    expect(ret).to.equal(0);
    expect(ctx.getVersion()).to.equal('DTLSv1.2');
    expect(ctx.getCiphersuite()).to.equal('TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256');
    expect(ctx.getVerifyResult()).to.equal(0);

    expect(ctx.write(Buffer.from('ping from mbed tls\n'))).to.equal(19);
    await s.printed('ping from mbed tls');

    s.input('pong from openssl\n');
    const buffer = new Uint8Array(1024);
    const n = await datagrams.drive(() => ctx.read(buffer));
    expect(Buffer.from(buffer.subarray(0, n)).toString()).to.equal('pong from openssl\n');

    expect(ctx.closeNotify()).to.equal(0);
    await s.exited;
    expect(s.output()).to.include('CIPHER is ECDHE-ECDSA-AES128-GCM-SHA256');
  });

  it('fails verification with X509_CERT_VERIFY_FAILED against the wrong CA', async () => {
    const { ctx, ret } = await connect('other-ca.pem');
    expect(ret).to.equal(MBEDTLS_ERR_X509_CERT_VERIFY_FAILED);
    expect(ctx.getVerifyResult()).to.not.equal(0);
  });

  it('retransmits a lost ClientHello after the handshake timer expires, then completes', async () => {
    server = await startOpensslServer(pki.dir, [
      '-dtls1_2',
      '-naccept',
      '1',
      '-cert',
      'server-ec.pem',
      '-key',
      'server-ec.key',
    ]);
    const datagrams = await DatagramBio.connect(server.port);
    bio = datagrams;
    const config = clientConfig(pki, { transport: MBEDTLS_SSL_TRANSPORT_DATAGRAM });
    config.setHandshakeTimeout(50, 1000);
    const ctx = new SslContext();
    ctx.setup(config);
    ctx.setHostname(SERVER_NAME);
    datagrams.attach(ctx);
    let sent = 0;
    ctx.setBio((data) => (++sent === 1 ? data.length : datagrams.send(data)), datagrams.recv); // the first is lost
    expect(await datagrams.drive(() => ctx.handshake())).to.equal(0);
    expect(datagrams.timer.timeouts.slice(0, 2)).to.deep.equal([50, 100]);
    expect(sent).to.be.greaterThan(3);
  });
});
