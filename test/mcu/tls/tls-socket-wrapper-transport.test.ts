// The completion-based BIO against awkward transports (docs/architecture.md, "The completion-based BIO"): one
// byte per call, odd chunk sizes, a transport that keeps stalling, the peer's plain EOF and reset, and the
// one-record limit of a send (TLSSocketWrapper::ssl_send(), ssl_recv(), send() and recv() in
// connectivity/netsocket/source/TLSSocketWrapper.cpp).
import { expect } from 'chai';
import { MBEDTLS_SSL_OUT_CONTENT_LEN } from '../../../mcu/tls/mbedtls/index.ts';
import {
  NSAPI_ERROR_ALREADY,
  NSAPI_ERROR_DEVICE_ERROR,
  NSAPI_ERROR_IN_PROGRESS,
  NSAPI_ERROR_IS_CONNECTED,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_WOULD_BLOCK,
} from '../../../shared/nsapi.ts';
import { SocketAddress } from '../../../shared/socket-address.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';
import { CONTENT_ALERT, CONTENT_APPLICATION_DATA, recordsOf } from './tls-records.ts';
import {
  asciiPayload,
  driveBySigio,
  expectEcho,
  labAddress,
  recvExactly,
  SigioCounter,
  useLab,
  useWrappers,
} from './wrapper-fixture.ts';

describe('TLSSocketWrapper over awkward transports (the completion-based BIO)', function () {
  this.timeout(10_000);
  const lab = useLab(['tls-echo']);
  const wrap = useWrappers(lab);
  const echo = () => labAddress(lab(), 'tls-echo');

  for (const [recvChunk, sendChunk] of [
    [1, 1],
    [7, 13],
    [1, Number.POSITIVE_INFINITY],
  ]) {
    it(`handshakes and echoes 1200 bytes with ${recvChunk}-byte reads and ${sendChunk}-byte writes on the transport`, async () => {
      const { wrapper, transport } = wrap({ recvChunk, sendChunk });
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
      await expectEcho(wrapper, asciiPayload(1200));
      expect(Math.max(...transport.received.map((chunk) => chunk.length))).to.be.at.most(recvChunk);
      expect(Math.max(...transport.sent.map((chunk) => chunk.length))).to.be.at.most(sendChunk);
    });
  }

  it('handshakes and echoes through a transport that keeps answering WOULD_BLOCK (blocking)', async () => {
    const { wrapper, transport } = wrap({ recvChunk: 64 });
    transport.hiccupEvery = 2;
    expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
    await expectEcho(wrapper, asciiPayload(3000));
    expect(transport.stalledAttempts).to.be.greaterThan(20);
  });

  it('handshakes and echoes through a transport that keeps answering WOULD_BLOCK, non-blocking, by sigio', async () => {
    const { wrapper, transport } = wrap({ recvChunk: 64 });
    const sigio = new SigioCounter();
    wrapper.sigio(sigio.callback);
    wrapper.set_blocking(false);
    transport.hiccupEvery = 2;
    {
      const codes = await driveBySigio(
        sigio,
        () => wrapper.connect(echo()),
        [NSAPI_ERROR_IN_PROGRESS, NSAPI_ERROR_ALREADY],
        20_000,
      );
      expect(codes.at(-1)).to.equal(NSAPI_ERROR_IS_CONNECTED);
      const message = asciiPayload(500);
      const sent = await driveBySigio(sigio, () => wrapper.send(message), [NSAPI_ERROR_WOULD_BLOCK], 20_000);
      expect(sent.at(-1)).to.equal(message.length);
      const back = Buffer.alloc(message.length);
      for (let got = 0; got < back.length; ) {
        const read = await driveBySigio(sigio, () => wrapper.recv(back.subarray(got)), undefined, 20_000);
        expect(read.at(-1)).to.be.greaterThan(0);
        got += read.at(-1) as number;
      }
      expect(back.equals(message)).to.equal(true);
      expect(transport.stalledAttempts).to.be.greaterThan(20);
    }
  });

  it('a handshake held by a stall completes when the transport is released (blocking: it just waits)', async () => {
    const { wrapper, transport } = wrap();
    transport.stall({ send: true, recv: true });
    const connecting = wrapper.connect(echo());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(transport.sent, 'nothing went out while stalled').to.deep.equal([]);
    transport.release();
    expect(await connecting).to.equal(NSAPI_ERROR_OK);
    await expectEcho(wrapper, Buffer.from('after the stall'));
  });

  it('send of more than one record returns the one-record count (16384); the rest goes with the next send', async () => {
    const { wrapper, transport } = wrap();
    expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
    const big = asciiPayload(20_000);
    const before = transport.sent.length;
    expect(await wrapper.send(big)).to.equal(MBEDTLS_SSL_OUT_CONTENT_LEN);
    expect(recordsOf(transport.sent.slice(before)).map((r) => r.type)).to.deep.equal([
      CONTENT_APPLICATION_DATA,
    ]);
    expect(await wrapper.send(big.subarray(MBEDTLS_SSL_OUT_CONTENT_LEN))).to.equal(
      big.length - MBEDTLS_SSL_OUT_CONTENT_LEN,
    );
    expect((await recvExactly(wrapper, big.length)).equals(big)).to.equal(true);
  });

  it('send of 0 bytes returns 0', async () => {
    const { wrapper } = wrap();
    expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
    expect(await wrapper.send(new Uint8Array(0))).to.equal(0);
    await expectEcho(wrapper, Buffer.from('still fine'));
  });

  describe('the end of the connection seen through a proxy', () => {
    let proxy: TcpProxy;
    beforeEach(async () => {
      proxy = await startTcpProxy(lab().server('tls-echo').port);
    });
    afterEach(() => proxy.close());
    const viaProxy = () => new SocketAddress('127.0.0.1', proxy.port);

    it('the transport reports EOF without close_notify → recv returns 0 (Mbed TLS 2.x turns CONN_EOF into 0)', async () => {
      const { wrapper, transport } = wrap();
      expect(await wrapper.connect(viaProxy())).to.equal(NSAPI_ERROR_OK);
      await expectEcho(wrapper, Buffer.from('before the end'));
      (await proxy.nextLink()).cutAfter(0, 'end');
      expect(await wrapper.recv(new Uint8Array(16))).to.equal(0);
      expect(recordsOf(transport.received).some((r) => r.type === CONTENT_ALERT)).to.equal(false);
    });

    it('the peer resets the connection → recv DEVICE_ERROR, send DEVICE_ERROR', async () => {
      const { wrapper } = wrap();
      expect(await wrapper.connect(viaProxy())).to.equal(NSAPI_ERROR_OK);
      (await proxy.nextLink()).cutAfter(0, 'reset');
      expect(await wrapper.recv(new Uint8Array(16))).to.equal(NSAPI_ERROR_DEVICE_ERROR);
      expect(await wrapper.send(Buffer.from('into the void'))).to.equal(NSAPI_ERROR_DEVICE_ERROR);
    });

    it('garbage injected after the handshake → recv DEVICE_ERROR', async () => {
      const { wrapper } = wrap();
      expect(await wrapper.connect(viaProxy())).to.equal(NSAPI_ERROR_OK);
      (await proxy.nextLink()).inject(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'));
      expect(await wrapper.recv(new Uint8Array(16))).to.equal(NSAPI_ERROR_DEVICE_ERROR);
    });
  });
});
