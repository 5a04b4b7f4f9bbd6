// Mbed OS's TestTLSSocketWrapper (connectivity/netsocket/tests/UNITTESTS/netsocket/TLSSocketWrapper), row by
// row, against the real Mbed TLS library. Where that test's Mbed TLS stub returned a scripted code, a real
// peer or a scripted transport creates the same situation: a failed handshake is a plain TCP echo server
// answering the ClientHello with itself, a pending handshake is a stalled transport with set_timeout(1), a
// read error is a corrupted record. Rows a real library cannot reach (connect_fail_ctr_drbg_seed) are listed
// in the report, not faked.
import { expect } from 'chai';
import { TCPSocket } from '../../../mcu/netsocket/tcp-socket.ts';
import {
  MBEDTLS_SSL_VERIFY_OPTIONAL,
  MBEDTLS_X509_BADCERT_CN_MISMATCH,
  MBEDTLS_X509_BADCERT_EXPIRED,
  SslConfig,
} from '../../../mcu/tls/mbedtls/index.ts';
import { TLSSocketWrapper } from '../../../mcu/tls/tls-socket-wrapper.ts';
import {
  NSAPI_BIND_TO_DEVICE,
  NSAPI_ERROR_AUTH_FAILURE,
  NSAPI_ERROR_DEVICE_ERROR,
  NSAPI_ERROR_IN_PROGRESS,
  NSAPI_ERROR_IS_CONNECTED,
  NSAPI_ERROR_NO_CONNECTION,
  NSAPI_ERROR_NO_SOCKET,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_PARAMETER,
  NSAPI_ERROR_UNSUPPORTED,
  NSAPI_ERROR_WOULD_BLOCK,
  NSAPI_SOCKET,
} from '../../../shared/nsapi.ts';
import { SocketAddress } from '../../../shared/socket-address.ts';
import { NetworkStackStub } from '../netsocket/network-stack-stub.ts';
import { CONTENT_ALERT, CONTENT_APPLICATION_DATA, recordsOf } from './tls-records.ts';
import { expectEcho, labAddress, recvExactly, SigioCounter, useLab, useWrappers } from './wrapper-fixture.ts';

const TEN = Buffer.from('0123456789');

describe('TLSSocketWrapper: Mbed OS unit-test rows (TestTLSSocketWrapper) on real Mbed TLS', function () {
  this.timeout(10_000);
  const lab = useLab(['tls-echo', 'tls-daytime', 'tcp-echo', 'badssl-expired']);
  const wrap = useWrappers(lab);
  const echo = () => labAddress(lab(), 'tls-echo');

  /** A wrapper that has completed its handshake with the lab echo server. */
  async function connected(options: Parameters<typeof wrap>[0] = {}) {
    const made = wrap(options);
    expect(await made.wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
    return made;
  }

  describe('construction', () => {
    it('constructor: a wrapper over a transport exists and has no TLS state yet', () => {
      const { wrapper } = wrap();
      expect(wrapper).to.be.instanceOf(TLSSocketWrapper);
      expect(wrapper.get_ssl_context().getCiphersuite()).to.equal(null);
    });

    it('constructor_hostname: the name given to the constructor is the one the certificate must match', async () => {
      const good = wrap({ hostname: 'localhost' });
      expect(await good.wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
      const bad = wrap({ hostname: 'wrong.tlssim.test' });
      expect(await bad.wrapper.connect(echo())).to.equal(NSAPI_ERROR_AUTH_FAILURE);
      expect(bad.wrapper.get_ssl_context().getVerifyResult()).to.equal(MBEDTLS_X509_BADCERT_CN_MISMATCH);
    });

    it('no_socket: without a transport every call is NO_SOCKET', async () => {
      const wrapper = new TLSSocketWrapper(null);
      const buffer = new Uint8Array(4);
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_NO_SOCKET);
      expect(await wrapper.bind(1)).to.equal(NSAPI_ERROR_NO_SOCKET);
      expect(await wrapper.setsockopt(NSAPI_SOCKET, NSAPI_BIND_TO_DEVICE, null)).to.equal(
        NSAPI_ERROR_NO_SOCKET,
      );
      expect(await wrapper.getsockopt(NSAPI_SOCKET, NSAPI_BIND_TO_DEVICE, buffer)).to.equal(
        NSAPI_ERROR_NO_SOCKET,
      );
      expect(await wrapper.send(buffer)).to.equal(NSAPI_ERROR_NO_SOCKET);
      expect(await wrapper.recv(buffer)).to.equal(NSAPI_ERROR_NO_SOCKET);
      expect(await wrapper.close()).to.equal(NSAPI_ERROR_NO_SOCKET);
      await wrapper.destroy();
    });
  });

  describe('connect', () => {
    it('connect: OK, then IS_CONNECTED on the next call; the transport is connected once', async () => {
      const { wrapper, transport } = await connected();
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_IS_CONNECTED);
      expect(transport.calls.connect).to.equal(1);
      await expectEcho(wrapper, TEN);
    });

    it('connect_no_open: a transport that was never opened answers NO_SOCKET and TLS is not touched', async () => {
      const tcp = new TCPSocket();
      const overTcp = new TLSSocketWrapper(tcp);
      expect(await overTcp.connect(echo())).to.equal(NSAPI_ERROR_NO_SOCKET);
      await overTcp.destroy();
      const { wrapper, transport } = wrap({ opened: false });
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_NO_SOCKET);
      expect(transport.calls.timeouts, 'the transport was never made non-blocking').to.deep.equal([]);
      expect(transport.sent).to.deep.equal([]);
    });

    it('connect_error_in_progress_no_timeout: the transport connect stays IN_PROGRESS past the timeout', async () => {
      const { wrapper, transport } = wrap();
      transport.connectResult = NSAPI_ERROR_IN_PROGRESS;
      wrapper.set_timeout(1);
      expect(transport.calls.timeouts, 'set_timeout reaches the transport it connects').to.deep.equal([1]);
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_IN_PROGRESS);
      expect(transport.sent, 'no TLS byte before the transport is connected').to.deep.equal([]);
    });

    it('connect_with_timeout: blocking wrapper, transport connect times out → IN_PROGRESS', async () => {
      const { wrapper, transport } = wrap();
      wrapper.set_blocking(true);
      expect(transport.calls.timeouts, 'set_blocking(true) is never forwarded').to.deep.equal([]);
      transport.set_timeout(1); // what Mbed OS's unit test forced with its EventFlags stub
      transport.connectResult = NSAPI_ERROR_IN_PROGRESS;
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_IN_PROGRESS);
    });

    it('connect_error_is_connected: a finite timeout that is long enough still gives OK', async () => {
      const { wrapper } = wrap();
      wrapper.set_timeout(5000);
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
    });

    it('a transport that says IS_CONNECTED (already connected) makes a completed connect IS_CONNECTED (TLSSocketWrapper::start_handshake(), first_call)', async () => {
      const { wrapper, transport } = wrap();
      expect(await transport.connect(echo())).to.equal(NSAPI_ERROR_OK);
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_IS_CONNECTED);
      await expectEcho(wrapper, TEN);
    });

    it('connect_fail_ssl_setup: mbedtls_ssl_setup fails (a config without defaults) → AUTH_FAILURE', async () => {
      const { wrapper, transport } = wrap();
      wrapper.set_ssl_config(new SslConfig());
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_AUTH_FAILURE);
      expect(transport.calls.connect, 'the transport was connected first').to.equal(1);
      expect(transport.sent, 'no handshake byte').to.deep.equal([]);
    });

    it('connect_handshake_fail_ssl_handshake: a peer that answers the ClientHello with itself → AUTH_FAILURE', async () => {
      const { wrapper } = wrap();
      expect(await wrapper.connect(labAddress(lab(), 'tcp-echo'))).to.equal(NSAPI_ERROR_AUTH_FAILURE);
      expect(wrapper.get_handshake_error()).to.be.lessThan(0);
    });

    it('connect_handshake_fail_ssl_handshake_in_progress: stalled, set_timeout(1) → IN_PROGRESS, then send/recv WOULD_BLOCK', async () => {
      const { wrapper, transport } = wrap();
      wrapper.set_timeout(1);
      transport.set_timeout(-1); // let the TCP connect itself complete; the handshake is what stalls
      transport.stall({ send: true, recv: true });
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_IN_PROGRESS);
      expect(await wrapper.send(TEN)).to.equal(NSAPI_ERROR_WOULD_BLOCK);
      expect(await wrapper.recv(new Uint8Array(10))).to.equal(NSAPI_ERROR_WOULD_BLOCK);
      // Released, the same handshake completes and the socket works.
      transport.release();
      wrapper.set_blocking(true);
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_IS_CONNECTED);
      await expectEcho(wrapper, TEN);
    });

    it('connect_handshake_fail_ssl_get_verify_result: verify flags set (VERIFY_OPTIONAL) → connect still OK', async () => {
      const { wrapper } = wrap({ hostname: lab().server('badssl-expired').host });
      wrapper.get_ssl_config().setAuthmode(MBEDTLS_SSL_VERIFY_OPTIONAL);
      expect(await wrapper.connect(labAddress(lab(), 'badssl-expired'))).to.equal(NSAPI_ERROR_OK);
      expect(wrapper.get_ssl_context().getVerifyResult()).to.equal(MBEDTLS_X509_BADCERT_EXPIRED);
      await expectEcho(wrapper, TEN);
    });
  });

  describe('send', () => {
    it('send_no_open: send before connect → NO_CONNECTION', async () => {
      const { wrapper } = wrap();
      expect(await wrapper.send(TEN)).to.equal(NSAPI_ERROR_NO_CONNECTION);
    });

    it('send_in_one_chunk: 10 bytes → 10, one application record on the wire', async () => {
      const { wrapper, transport } = await connected();
      const before = transport.sent.length;
      expect(await wrapper.send(TEN)).to.equal(10);
      expect(transport.sent.length - before).to.equal(1);
      expect(recordsOf(transport.sent.slice(before)).map((r) => r.type)).to.deep.equal([
        CONTENT_APPLICATION_DATA,
      ]);
      expect((await recvExactly(wrapper, 10)).equals(TEN)).to.equal(true);
    });

    it('send_in_two_chunks: the transport takes the record in two parts; send still returns 10', async () => {
      const { wrapper, transport } = await connected({ sendChunk: 20 });
      const before = transport.sent.length;
      expect(await wrapper.send(TEN)).to.equal(10);
      const parts = transport.sent.slice(before);
      expect(parts.map((p) => p.length)).to.deep.equal([20, recordsOf(parts)[0].length + 5 - 20]);
      expect((await recvExactly(wrapper, 10)).equals(TEN)).to.equal(true);
    });

    it('send_error_would_block: a stalled transport and set_timeout(1) → WOULD_BLOCK; the same data goes later', async () => {
      const { wrapper, transport } = await connected();
      transport.stall({ send: true });
      wrapper.set_timeout(1);
      expect(await wrapper.send(TEN)).to.equal(NSAPI_ERROR_WOULD_BLOCK);
      transport.release();
      wrapper.set_blocking(true);
      expect(await wrapper.send(TEN)).to.equal(10);
      expect((await recvExactly(wrapper, 10)).equals(TEN)).to.equal(true);
    });

    it('send_device_error: the transport fails the write → DEVICE_ERROR', async () => {
      const { wrapper, transport } = await connected();
      transport.sendResults.push(NSAPI_ERROR_NO_CONNECTION);
      expect(await wrapper.send(TEN)).to.equal(NSAPI_ERROR_DEVICE_ERROR);
    });

    it('send_to: sendto after connect ignores the address → 10', async () => {
      const { wrapper } = await connected();
      expect(await wrapper.sendto(new SocketAddress('127.0.0.1', 9), TEN)).to.equal(10);
      expect((await recvExactly(wrapper, 10)).equals(TEN)).to.equal(true);
    });
  });

  describe('recv', () => {
    it('recv_no_open: recv before connect → NO_CONNECTION', async () => {
      const { wrapper } = wrap();
      expect(await wrapper.recv(new Uint8Array(10))).to.equal(NSAPI_ERROR_NO_CONNECTION);
    });

    it('recv_all_data: a 10-byte record into a 10-byte buffer → 10', async () => {
      const { wrapper } = await connected();
      expect(await wrapper.send(TEN)).to.equal(10);
      const buffer = new Uint8Array(10);
      expect(await wrapper.recv(buffer)).to.equal(10);
      expect(Buffer.from(buffer).equals(TEN)).to.equal(true);
    });

    it('recv_less_than_expected: a 9-byte buffer → 9; the rest of the record waits for the next call', async () => {
      const { wrapper } = await connected();
      expect(await wrapper.send(TEN)).to.equal(10);
      const buffer = new Uint8Array(9);
      expect(await wrapper.recv(buffer)).to.equal(9);
      expect(Buffer.from(buffer).equals(TEN.subarray(0, 9))).to.equal(true);
      expect(wrapper.get_ssl_context().getBytesAvail()).to.equal(1);
      const last = new Uint8Array(9);
      expect(await wrapper.recv(last)).to.equal(1);
      expect(last[0]).to.equal(TEN[9]);
    });

    it('recv_would_block: nothing arrives within set_timeout(1) → WOULD_BLOCK', async () => {
      const { wrapper } = await connected();
      wrapper.set_timeout(1);
      expect(await wrapper.recv(new Uint8Array(10))).to.equal(NSAPI_ERROR_WOULD_BLOCK);
    });

    it('recv_device_error: a record corrupted on the way in (bad MAC) → DEVICE_ERROR', async () => {
      const { wrapper, transport } = await connected();
      // The next record's first body byte (after its 5-byte header) gets flipped.
      transport.corruptInboundAt(transport.inboundBytes + 5);
      expect(await wrapper.send(TEN)).to.equal(10);
      expect(await wrapper.recv(new Uint8Array(10))).to.equal(NSAPI_ERROR_DEVICE_ERROR);
    });

    it('recv_device_error: the transport fails the read → DEVICE_ERROR', async () => {
      const { wrapper, transport } = await connected();
      transport.recvResults.push(NSAPI_ERROR_NO_CONNECTION);
      expect(await wrapper.recv(new Uint8Array(10))).to.equal(NSAPI_ERROR_DEVICE_ERROR);
    });

    it('recv_peer_clode_notify: the peer ends with close_notify → 0', async () => {
      const { wrapper, transport } = wrap({ hostname: lab().server('tls-daytime').host });
      expect(await wrapper.connect(labAddress(lab(), 'tls-daytime'))).to.equal(NSAPI_ERROR_OK);
      const line = Buffer.alloc(64);
      let got = 0;
      for (;;) {
        const n = await wrapper.recv(line.subarray(got));
        expect(n).to.be.at.least(0);
        if (n === 0) break;
        got += n;
      }
      expect(line.subarray(0, got).toString()).to.match(/\r?\n$/);
      expect(recordsOf(transport.received).at(-1)?.type, 'the last record was an alert').to.equal(
        CONTENT_ALERT,
      );
    });

    it('recv_from_no_socket: recvfrom before connect → NO_CONNECTION', async () => {
      const { wrapper } = wrap();
      expect(await wrapper.recvfrom(new SocketAddress(), new Uint8Array(4))).to.equal(
        NSAPI_ERROR_NO_CONNECTION,
      );
    });

    it('recv_from: recvfrom fills the peer address (the one connected to) and reads', async () => {
      const { wrapper } = await connected();
      expect(await wrapper.send(TEN)).to.equal(10);
      const from = new SocketAddress();
      const buffer = new Uint8Array(10);
      expect(await wrapper.recvfrom(from, buffer)).to.equal(10);
      expect(from.equals(echo())).to.equal(true);
    });

    it('recv_from_null: recvfrom(null) reads', async () => {
      const { wrapper } = await connected();
      expect(await wrapper.send(TEN)).to.equal(10);
      expect(await wrapper.recvfrom(null, new Uint8Array(10))).to.equal(10);
    });
  });

  describe('certificates', () => {
    it('set_root_ca_cert: the chain is null before, set with an explicit length (NUL counted)', () => {
      const { wrapper } = wrap({ trustLab: false });
      expect(wrapper.get_ca_chain()).to.equal(null);
      const pem = Buffer.from(`${lab().pki.caPem}\0`);
      expect(wrapper.set_root_ca_cert(pem, pem.length)).to.equal(NSAPI_ERROR_OK);
      expect(wrapper.get_ca_chain()?.count()).to.equal(1);
    });

    it('set_root_ca_cert_nolen: the string overload (strlen + 1)', () => {
      const { wrapper } = wrap({ trustLab: false });
      expect(wrapper.set_root_ca_cert(lab().pki.caPem)).to.equal(NSAPI_ERROR_OK);
      expect(wrapper.get_ca_chain()).to.not.equal(null);
    });

    it('set_root_ca_cert_invalid: bytes that do not parse → PARAMETER', () => {
      const { wrapper } = wrap({ trustLab: false });
      expect(wrapper.set_root_ca_cert(Buffer.from('not a certificate'))).to.equal(NSAPI_ERROR_PARAMETER);
      expect(wrapper.get_ca_chain()).to.equal(null);
    });

    it('set_client_cert_key: own cert null before, set after', () => {
      const { wrapper } = wrap();
      expect(wrapper.get_own_cert()).to.equal(null);
      expect(wrapper.set_client_cert_key(lab().pki.clientCertPem, lab().pki.clientKeyPem)).to.equal(
        NSAPI_ERROR_OK,
      );
      expect(wrapper.get_own_cert()?.count()).to.equal(1);
    });

    it('set_client_cert_key_invalid: the certificate does not parse → PARAMETER', () => {
      const { wrapper } = wrap();
      expect(wrapper.set_client_cert_key('garbage', lab().pki.clientKeyPem)).to.equal(NSAPI_ERROR_PARAMETER);
      expect(wrapper.get_own_cert()).to.equal(null);
    });

    it('set_client_cert_key_invalid_pem: the key does not parse → PARAMETER', () => {
      const { wrapper } = wrap();
      const broken = lab().pki.clientKeyPem.replace(/\n[A-Za-z0-9+/]{8}/, '\n!!!!!!!!');
      expect(wrapper.set_client_cert_key(lab().pki.clientCertPem, broken)).to.equal(NSAPI_ERROR_PARAMETER);
      expect(wrapper.get_own_cert()).to.equal(null);
    });
  });

  describe('pass-throughs and unsupported calls', () => {
    it('bind / bind_no_open: OK through an open transport (address passed on), NO_SOCKET through an unopened one', async () => {
      const { wrapper, transport } = wrap();
      expect(await wrapper.bind(new SocketAddress('127.0.0.1', 4321))).to.equal(NSAPI_ERROR_OK);
      expect(transport.calls.bind.map(String)).to.deep.equal(['127.0.0.1:4321']);
      const stack = new NetworkStackStub();
      const tcp = new TCPSocket();
      expect(tcp.open(stack)).to.equal(NSAPI_ERROR_OK);
      const overTcp = new TLSSocketWrapper(tcp);
      expect(await overTcp.bind(1)).to.equal(NSAPI_ERROR_OK);
      const unopened = new TLSSocketWrapper(new TCPSocket());
      expect(await unopened.bind(1)).to.equal(NSAPI_ERROR_NO_SOCKET);
    });

    it('sigio: a registered callback is called when the socket closes', async () => {
      const stack = new NetworkStackStub();
      const tcp = new TCPSocket();
      expect(tcp.open(stack)).to.equal(NSAPI_ERROR_OK);
      const wrapper = new TLSSocketWrapper(tcp);
      const sigio = new SigioCounter();
      wrapper.sigio(sigio.callback);
      expect(await wrapper.close()).to.equal(NSAPI_ERROR_OK);
      expect(sigio.count).to.be.at.least(1);
      expect(stack.calls).to.include('close');
    });

    it('setsockopt: passed to the transport unchanged; a stack without the option says UNSUPPORTED', async () => {
      const { wrapper, transport } = wrap();
      transport.sockoptResult = NSAPI_ERROR_OK;
      expect(await wrapper.setsockopt(NSAPI_SOCKET, NSAPI_BIND_TO_DEVICE, Buffer.from('ppp0'))).to.equal(
        NSAPI_ERROR_OK,
      );
      expect(transport.calls.setsockopt).to.have.length(1);
      const [call] = transport.calls.setsockopt;
      expect([call.level, call.optname, Buffer.from(call.optval ?? []).toString()]).to.deep.equal([
        NSAPI_SOCKET,
        NSAPI_BIND_TO_DEVICE,
        'ppp0',
      ]);
      const tcp = new TCPSocket();
      tcp.open(new NetworkStackStub());
      expect(await new TLSSocketWrapper(tcp).setsockopt(NSAPI_SOCKET, NSAPI_BIND_TO_DEVICE, null)).to.equal(
        NSAPI_ERROR_UNSUPPORTED,
      );
    });

    it('getsockopt_no_stack / getsockopt: NO_SOCKET through an unopened transport, the stack default otherwise', async () => {
      const value = new Uint8Array(4);
      expect(
        await new TLSSocketWrapper(new TCPSocket()).getsockopt(NSAPI_SOCKET, NSAPI_BIND_TO_DEVICE, value),
      ).to.equal(NSAPI_ERROR_NO_SOCKET);
      const tcp = new TCPSocket();
      tcp.open(new NetworkStackStub());
      expect(await new TLSSocketWrapper(tcp).getsockopt(NSAPI_SOCKET, NSAPI_BIND_TO_DEVICE, value)).to.equal(
        NSAPI_ERROR_UNSUPPORTED,
      );
      const { wrapper, transport } = wrap();
      expect(await wrapper.getsockopt(NSAPI_SOCKET, NSAPI_BIND_TO_DEVICE, value)).to.equal(
        NSAPI_ERROR_UNSUPPORTED,
      );
      expect(transport.calls.getsockopt[0].optval).to.equal(value);
    });

    it('listen_unsupported / accept_unsupported', async () => {
      const { wrapper } = wrap();
      expect(await wrapper.listen(1)).to.equal(NSAPI_ERROR_UNSUPPORTED);
      expect(await wrapper.accept()).to.deep.equal({ socket: null, error: NSAPI_ERROR_UNSUPPORTED });
    });
  });
});
