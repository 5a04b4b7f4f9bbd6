// DTLSSocket (connectivity/netsocket/source/DTLSSocket.cpp) on the BG96 (mock UART): open, the opening constructor, connect(SocketAddress)
// and the seed's connect(hostname, port); echo of 1..1200 bytes through the modem's "UDP SERVICE" socket
// with only ciphertext on the UART; mutual authentication; and interop with openssl s_server -dtls1_2.
import { expect } from 'chai';
import { type DtlsServer, startDtlsServer } from '../../../lab/dtls/dtls-server.ts';
import type { Lab } from '../../../lab/servers/lab.ts';
import { DTLSSocket } from '../../../mcu/tls/dtls-socket.ts';
import { MBEDTLS_SSL_MAX_FRAG_LEN_1024 } from '../../../mcu/tls/mbedtls/index.ts';
import {
  NSAPI_ERROR_AUTH_FAILURE,
  NSAPI_ERROR_DNS_FAILURE,
  NSAPI_ERROR_IS_CONNECTED,
  NSAPI_ERROR_NO_SOCKET,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_PARAMETER,
} from '../../../shared/nsapi.ts';
import { NetworkStackStub } from '../netsocket/network-stack-stub.ts';
import { type Device, startDevice } from './device-fixture.ts';
import { ECHO_HOST, echo, labAddress, startDtlsLab } from './dtls-fixture.ts';
import { type OpensslServer, startOpensslServer } from './mbedtls/helpers/openssl-server.ts';

describe('DTLSSocket over the BG96 UDP service (connectivity/netsocket/source/DTLSSocket.cpp)', function () {
  this.timeout(20_000);
  let lab: Lab;
  let server: DtlsServer;
  let device: Device;
  const open: DTLSSocket[] = [];

  before(async () => {
    ({ lab, server } = await startDtlsLab());
    device = await startDevice(lab);
  });
  after(async () => {
    await device.close();
    await server.close();
    await lab.close();
  });
  afterEach(async () => {
    for (const socket of open.splice(0)) await socket.close();
  });

  function socket(...args: ConstructorParameters<typeof DTLSSocket>): DTLSSocket {
    const created = new DTLSSocket(...args);
    open.push(created);
    return created;
  }

  it('open: OK once, PARAMETER again or without a stack; an unopened socket cannot connect by name', async () => {
    const s = socket();
    expect(s.open(null)).to.equal(NSAPI_ERROR_PARAMETER);
    expect(await s.connect(ECHO_HOST, server.port)).to.equal(NSAPI_ERROR_NO_SOCKET);
    expect(s.open(device.net)).to.equal(NSAPI_ERROR_OK);
    expect(s.open(device.net)).to.equal(NSAPI_ERROR_PARAMETER);
  });

  it('new DTLSSocket(stack, hostname) opens at once and verifies that name; a failing open throws', async () => {
    const s = socket(device.net, ECHO_HOST);
    expect(s.open(device.net)).to.equal(NSAPI_ERROR_PARAMETER); // already open
    expect(s.set_root_ca_cert(lab.pki.caPem)).to.equal(NSAPI_ERROR_OK);
    expect(await s.connect(labAddress(server.port))).to.equal(NSAPI_ERROR_OK);
    const wrongName = socket(device.net, 'wrong.tlssim.test');
    wrongName.set_root_ca_cert(lab.pki.caPem);
    expect(await wrongName.connect(labAddress(server.port))).to.equal(NSAPI_ERROR_AUTH_FAILURE);
    const full = new NetworkStackStub();
    full.returnValue = NSAPI_ERROR_NO_SOCKET;
    expect(() => new DTLSSocket(full)).to.throw(/open/);
  });

  it('connect(hostname, port) resolves through the modem and verifies the name; again → OK (the peer is set)', async () => {
    const s = socket(device.net);
    s.set_root_ca_cert(lab.pki.caPem);
    expect(await s.connect(ECHO_HOST, server.port)).to.equal(NSAPI_ERROR_OK);
    const { back } = await echo(s, Buffer.from('by name'));
    expect(back.toString()).to.equal('by name');
    // The seed answers a second connect(host, port) with getpeername's result and does nothing else.
    expect(await s.connect(ECHO_HOST, server.port)).to.equal(NSAPI_ERROR_OK);
    expect(await s.connect(labAddress(server.port))).to.equal(NSAPI_ERROR_IS_CONNECTED);
  });

  it('connect(hostname, port): a lab name the certificate does not carry fails verification; an unknown name is DNS_FAILURE', async () => {
    const other = socket(device.net);
    other.set_root_ca_cert(lab.pki.caPem);
    expect(await other.connect('daytime.tlssim.test', server.port)).to.equal(NSAPI_ERROR_AUTH_FAILURE);
    const unknown = socket(device.net);
    expect(await unknown.connect('nowhere.tlssim.test', server.port)).to.equal(NSAPI_ERROR_DNS_FAILURE);
  });

  it('echoes 1..1200 bytes through the modem UDP SERVICE socket, with only ciphertext on the UART', async () => {
    const s = socket(device.net, ECHO_HOST);
    s.set_root_ca_cert(lab.pki.caPem);
    expect(await s.connect(labAddress(server.port))).to.equal(NSAPI_ERROR_OK);
    const marker = Buffer.from('plaintext marker that must never be on the UART ');
    for (const size of [1, 2, 13, 100, 255, 256, 512, 1000, 1024, 1025, 1199, 1200]) {
      const data = Buffer.alloc(size);
      for (let i = 0; i < size; i++) data[i] = marker[i % marker.length]!;
      const { back, recvSizes, sent } = await echo(s, data);
      expect(sent, `send(${size})`).to.equal(size);
      expect(back.equals(data), `echo of ${size} bytes`).to.equal(true);
      // The server's records carry at most 1024 bytes; each recv returns one of them.
      expect(recvSizes, `recv sizes for ${size}`).to.deep.equal(size > 1024 ? [1024, size - 1024] : [size]);
    }
    const uart = Buffer.concat([...device.uart.tx, ...device.uart.rx]);
    expect(uart.includes(marker.subarray(0, 24))).to.equal(false);
    const commands = Buffer.concat(device.uart.tx).toString('latin1');
    expect(commands).to.match(/AT\+QIOPEN=1,\d+,"UDP SERVICE"/);
    expect(commands).to.match(new RegExp(`AT\\+QISEND=\\d+,\\d+,"127\\.0\\.0\\.1",${server.port}`));
  });

  describe('mutual authentication', () => {
    let mutual: DtlsServer;
    before(async () => {
      mutual = await startDtlsServer({ pki: lab.pki, credential: 'mtls', requireClientCert: true });
    });
    after(() => mutual.close());

    function mtlsSocket(): DTLSSocket {
      const s = socket(device.net, 'mtls.tlssim.test');
      expect(s.set_root_ca_cert(lab.pki.caPem)).to.equal(NSAPI_ERROR_OK);
      return s;
    }

    it('handshakes and echoes with the lab client chain (records limited to 1 KB so each fits a modem datagram)', async () => {
      const s = mtlsSocket();
      expect(s.set_client_cert_key(lab.pki.clientChainPem, lab.pki.clientKeyPem)).to.equal(NSAPI_ERROR_OK);
      s.get_ssl_config().setMaxFragLen(MBEDTLS_SSL_MAX_FRAG_LEN_1024);
      expect(await s.connect(labAddress(mutual.port))).to.equal(NSAPI_ERROR_OK);
      const { back } = await echo(s, Buffer.from('mutual'));
      expect(back.toString()).to.equal('mutual');
      expect(mutual.stats.handshakes).to.be.at.least(1);
    });

    it('without a client certificate the server refuses: AUTH_FAILURE', async () => {
      const failures = mutual.stats.handshakeFailures;
      const s = mtlsSocket();
      // The server drops the session without an alert; the device gives up when its timer runs out.
      s.get_ssl_config().setHandshakeTimeout(50, 400);
      expect(await s.connect(labAddress(mutual.port))).to.equal(NSAPI_ERROR_AUTH_FAILURE);
      expect(mutual.stats.handshakeFailures).to.equal(failures + 1);
    });

    it('without a fragment limit the client chain flight (over 1460 bytes) is refused by the modem: AUTH_FAILURE', async () => {
      const s = mtlsSocket();
      s.set_client_cert_key(lab.pki.clientChainPem, lab.pki.clientKeyPem);
      expect(await s.connect(labAddress(mutual.port))).to.equal(NSAPI_ERROR_AUTH_FAILURE);
      expect(s.get_handshake_error()).to.equal(NSAPI_ERROR_PARAMETER); // AT+QISEND's limit, through the BIO
    });
  });

  describe('interop with openssl s_server -dtls1_2 (cookies via -listen)', () => {
    let openssl: OpensslServer | undefined;
    afterEach(async () => {
      await openssl?.stop();
      openssl = undefined;
    });

    async function exchange(s: DTLSSocket, args: string[]): Promise<void> {
      // -listen: cookies; -mtu 1200: datagrams the BG96 carries whole; one client, then s_server ends.
      openssl = await startOpensslServer(lab.pki.dir, [
        '-dtls1_2',
        '-listen',
        '-mtu',
        '1200',
        '-naccept',
        '1',
        ...args,
      ]);
      expect(await s.connect(labAddress(openssl.port))).to.equal(NSAPI_ERROR_OK);
      const line = Buffer.from('hello from the device\n');
      expect(await s.send(line)).to.equal(line.length);
      await openssl.printed('hello from the device');
      openssl.input('answer from openssl\n');
      const buffer = new Uint8Array(100);
      const n = await s.recv(buffer);
      expect(Buffer.from(buffer.subarray(0, n)).toString()).to.equal('answer from openssl\n');
    }

    it('RSA certificate chain, verified against the lab CA', async () => {
      const s = socket(device.net, ECHO_HOST);
      s.set_root_ca_cert(lab.pki.caPem);
      await exchange(s, [
        '-cert',
        'servers/echo.pem',
        '-cert_chain',
        'intermediate.pem',
        '-key',
        'servers/echo.key',
      ]);
    });

    it('ECDSA certificate with client authentication', async () => {
      const s = socket(device.net, 'ecdsa.tlssim.test');
      s.set_root_ca_cert(lab.pki.caPem);
      s.set_client_cert_key(lab.pki.clientChainPem, lab.pki.clientKeyPem);
      s.get_ssl_config().setMaxFragLen(MBEDTLS_SSL_MAX_FRAG_LEN_1024);
      await exchange(s, [
        '-cert',
        'servers/ecdsa.pem',
        '-cert_chain',
        'intermediate.pem',
        '-key',
        'servers/ecdsa.key',
        '-Verify',
        '2',
        '-CAfile',
        'ca.pem',
        '-verify_return_error',
      ]);
      expect(openssl!.output()).to.include('CN = tlssim test device');
    });
  });
});
