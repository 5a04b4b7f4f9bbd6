// Interop of the device's TLSSocket (Mbed TLS on the MCU, bytes through the simulated BG96 on the mock
// UART) with `openssl s_server`, an independent implementation, on a free 127.0.0.1 port: TLS 1.2
// ECDHE-RSA and ECDHE-ECDSA with AES-128-GCM, and client authentication (-Verify 1). The lab PKI supplies
// the certificates. s_server -rev answers each line reversed and closes (close_notify) on "CLOSE".
import { X509Certificate } from 'node:crypto';
import { expect } from 'chai';
import type { LabPki } from '../../../lab/pki/lab-pki.ts';
import { MbedtlsTLSSocket } from '../../../mcu/tls/tls-socket-mbedtls.ts';
import { NSAPI_ERROR_AUTH_FAILURE, NSAPI_ERROR_OK } from '../../../shared/nsapi.ts';
import { SocketAddress } from '../../../shared/socket-address.ts';
import { type Device, startDevice } from './device-fixture.ts';
import { type OpensslServer, startOpensslServer } from './mbedtls/helpers/openssl-server.ts';
import { asciiPayload, sendAll, useLab, withinMs } from './wrapper-fixture.ts';

/** s_server arguments presenting one lab server credential with the intermediate that signed it. */
function serverCredential(pki: LabPki, name: 'echo' | 'ecdsa'): string[] {
  const credential = pki.servers[name];
  return ['-cert', credential.certPath, '-key', credential.keyPath, '-cert_chain', pki.intermediatePath];
}

/** Reads up to and including the next newline. */
async function readLine(socket: MbedtlsTLSSocket): Promise<string> {
  let line = '';
  const buffer = new Uint8Array(2048);
  while (!line.endsWith('\n')) {
    const n = await socket.recv(buffer);
    expect(n, 'recv').to.be.greaterThan(0);
    line += Buffer.from(buffer.subarray(0, n)).toString('latin1');
  }
  return line;
}

const reversed = (text: string) => [...text].reverse().join('');

describe('TLSSocket (Mbed TLS, through the simulated BG96) ⇄ openssl s_server', function () {
  this.timeout(15_000);
  const lab = useLab(['tls-echo']);
  let device: Device;
  let server: OpensslServer | undefined;
  let socket: MbedtlsTLSSocket | undefined;

  before(async () => {
    device = await startDevice(lab());
  });
  after(() => device.close());
  afterEach(async () => {
    await socket?.destroy();
    socket = undefined;
    await server?.stop();
    server = undefined;
  });

  async function connectTo(serverArgs: string[], hostname: string, clientCert = false) {
    const pki = lab().pki;
    server = await startOpensslServer(pki.dir, ['-tls1_2', '-rev', '-naccept', '1', ...serverArgs]);
    socket = new MbedtlsTLSSocket();
    expect(socket.open(device.net)).to.equal(NSAPI_ERROR_OK);
    expect(socket.set_root_ca_cert(pki.caPem)).to.equal(NSAPI_ERROR_OK);
    if (clientCert)
      expect(socket.set_client_cert_key(pki.clientChainPem, pki.clientKeyPem)).to.equal(NSAPI_ERROR_OK);
    socket.set_hostname(hostname);
    const ret = await socket.connect(new SocketAddress('127.0.0.1', server.port));
    return { socket, server, ret };
  }

  /** Data both ways: a short line and a 1000-byte one come back reversed; then s_server closes. */
  async function exchange(tls: MbedtlsTLSSocket, peer: OpensslServer): Promise<void> {
    const secret = 'hello tlssim through the modem';
    await sendAll(tls, Buffer.from(`${secret}\n`));
    expect(await readLine(tls)).to.equal(`${reversed(secret)}\n`);
    const long = asciiPayload(1000).toString('latin1');
    await sendAll(tls, Buffer.from(`${long}\n`, 'latin1'));
    expect(await readLine(tls)).to.equal(`${reversed(long)}\n`);
    await sendAll(tls, Buffer.from('CLOSE\n'));
    expect(await tls.recv(new Uint8Array(64)), "s_server's close_notify").to.equal(0);
    expect(await tls.close()).to.equal(NSAPI_ERROR_OK);
    await withinMs(peer.exited, 5000, 's_server exit');
    const uart = Buffer.concat([...device.uart.tx, ...device.uart.rx]);
    expect(uart.includes(Buffer.from(secret)), 'plaintext on the UART').to.equal(false);
    expect(uart.includes(Buffer.from(reversed(secret))), 'plaintext on the UART').to.equal(false);
  }

  for (const [suite, mbedtlsName, credential] of [
    ['ECDHE-RSA-AES128-GCM-SHA256', 'TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256', 'echo'],
    ['ECDHE-ECDSA-AES128-GCM-SHA256', 'TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256', 'ecdsa'],
  ] as const) {
    it(`TLS 1.2 ${suite}: negotiated as ${mbedtlsName}, data both ways`, async () => {
      const {
        socket: tls,
        server: peer,
        ret,
      } = await connectTo(
        [...serverCredential(lab().pki, credential), '-cipher', suite],
        lab().pki.servers[credential].hostname,
      );
      expect(ret).to.equal(NSAPI_ERROR_OK);
      const context = tls.get_ssl_context();
      expect(context.getVersion()).to.equal('TLSv1.2');
      expect(context.getCiphersuite()).to.equal(mbedtlsName);
      expect(context.getVerifyResult()).to.equal(0);
      await exchange(tls, peer);
      expect(peer.output()).to.match(new RegExp(`^Ciphersuite: ${suite}$`, 'm'));
    });
  }

  it('client authentication (-Verify 1): the server verifies the client chain, data both ways', async () => {
    const pki = lab().pki;
    const {
      socket: tls,
      server: peer,
      ret,
    } = await connectTo(
      [...serverCredential(pki, 'echo'), '-Verify', '1', '-CAfile', pki.caPath],
      pki.servers.echo.hostname,
      true,
    );
    expect(ret).to.equal(NSAPI_ERROR_OK);
    await exchange(tls, peer);
    const clientName = new X509Certificate(pki.clientCertPem).subject.match(/^CN=(.*)$/m)?.[1];
    expect(peer.output()).to.match(new RegExp(`^Peer certificate: .*CN = ${clientName}$`, 'm'));
    expect(peer.output()).to.include('Verification: OK');
  });

  it('client authentication required and no client certificate set → AUTH_FAILURE', async () => {
    const pki = lab().pki;
    const { socket: tls, ret } = await connectTo(
      [...serverCredential(pki, 'echo'), '-Verify', '1', '-CAfile', pki.caPath],
      pki.servers.echo.hostname,
    );
    expect(ret).to.equal(NSAPI_ERROR_AUTH_FAILURE);
    expect(await tls.close()).to.equal(NSAPI_ERROR_OK);
  });
});
