// TLSSocketWrapper's life cycle (connectivity/netsocket/source/TLSSocketWrapper.cpp: the constructor,
// connect(), set_timeout(), close(), getpeername()): which transport calls each control mode makes, the
// connect codes (blocking, non-blocking driven by sigio, sticky AUTH_FAILURE), close with close_notify, and
// what the socket answers once closed.
import net from 'node:net';
import { expect } from 'chai';
import { control_transport } from '../../../mcu/tls/tls-socket-wrapper.ts';
import {
  NSAPI_ERROR_ALREADY,
  NSAPI_ERROR_AUTH_FAILURE,
  NSAPI_ERROR_DEVICE_ERROR,
  NSAPI_ERROR_DNS_FAILURE,
  NSAPI_ERROR_IN_PROGRESS,
  NSAPI_ERROR_IS_CONNECTED,
  NSAPI_ERROR_NO_CONNECTION,
  NSAPI_ERROR_NO_SOCKET,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_PARAMETER,
  NSAPI_ERROR_WOULD_BLOCK,
} from '../../../shared/nsapi.ts';
import { SocketAddress } from '../../../shared/socket-address.ts';
import { CONTENT_ALERT, recordsOf } from './tls-records.ts';
import {
  driveBySigio,
  expectEcho,
  labAddress,
  SigioCounter,
  useLab,
  useWrappers,
} from './wrapper-fixture.ts';

const HELLO = Buffer.from('hello, tls');

const MODES = [
  { mode: control_transport.TRANSPORT_KEEP, name: 'TRANSPORT_KEEP', connects: false, closes: false },
  {
    mode: control_transport.TRANSPORT_CONNECT_AND_CLOSE,
    name: 'TRANSPORT_CONNECT_AND_CLOSE',
    connects: true,
    closes: true,
  },
  { mode: control_transport.TRANSPORT_CONNECT, name: 'TRANSPORT_CONNECT', connects: true, closes: false },
  { mode: control_transport.TRANSPORT_CLOSE, name: 'TRANSPORT_CLOSE', connects: false, closes: true },
] as const;

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('TLSSocketWrapper life cycle: control modes, connect codes, close', function () {
  this.timeout(10_000);
  const lab = useLab(['tls-echo', 'tcp-echo', 'tls-discard']);
  const wrap = useWrappers(lab);
  const echo = () => labAddress(lab(), 'tls-echo');

  describe('control modes (control_transport): which of connect and close reach the transport', () => {
    for (const { mode, name, connects, closes } of MODES) {
      it(`${name}: transport connect ${connects ? 'by the wrapper' : 'left to the caller'}, close ${closes ? 'by the wrapper' : 'left to the caller'}`, async () => {
        const { wrapper, transport } = wrap({ control: mode });
        if (!connects) expect(await transport.connect(echo())).to.equal(NSAPI_ERROR_OK);
        const connectsBefore = transport.calls.connect;
        // Without a transport connect the first handshake call counts as the first call: OK, not IS_CONNECTED.
        expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
        expect(transport.calls.connect - connectsBefore).to.equal(connects ? 1 : 0);
        await expectEcho(wrapper, HELLO);

        expect(await wrapper.close()).to.equal(NSAPI_ERROR_OK);
        expect(transport.calls.close).to.equal(closes ? 1 : 0);
        expect(recordsOf(transport.sent).at(-1)?.type, 'close_notify went out').to.equal(CONTENT_ALERT);
        if (!closes) {
          // The transport is still the caller's: the server, seeing our close_notify, answers with its own
          // and ends the connection.
          const inbound: Buffer[] = [];
          const buffer = new Uint8Array(256);
          transport.set_blocking(true);
          for (let n = await transport.recv(buffer); n > 0; n = await transport.recv(buffer)) {
            inbound.push(Buffer.from(buffer.subarray(0, n)));
          }
          expect(recordsOf(inbound).map((r) => r.type)).to.deep.equal([CONTENT_ALERT]);
          expect(await transport.close()).to.equal(NSAPI_ERROR_OK);
        }
      });

      it(`${name}: set_timeout reaches the transport ${connects ? 'before the handshake only' : 'never'}; set_blocking(true) never`, async () => {
        const { wrapper, transport } = wrap({ control: mode });
        wrapper.set_timeout(2500);
        wrapper.set_blocking(true);
        expect(transport.calls.timeouts).to.deep.equal(connects ? [2500] : []);
        if (!connects) expect(await transport.connect(echo())).to.equal(NSAPI_ERROR_OK);
        transport.calls.timeouts.length = 0;
        expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
        expect(transport.calls.timeouts, 'made non-blocking when the handshake starts').to.deep.equal([0]);
        wrapper.set_timeout(100);
        wrapper.set_blocking(false);
        expect(transport.calls.timeouts, 'nothing forwarded once the handshake started').to.deep.equal([0]);
      });
    }
  });

  describe('connect codes (TLSSocketWrapper::connect())', () => {
    for (const chunk of [Number.POSITIVE_INFINITY, 1]) {
      it(`non-blocking (${chunk === 1 ? 'one byte per transport call' : 'whole reads'}): IN_PROGRESS, then ALREADY until IS_CONNECTED, each call on a sigio; then a non-blocking echo`, async () => {
        const { wrapper } = wrap({ recvChunk: chunk, sendChunk: chunk });
        const sigio = new SigioCounter();
        wrapper.sigio(sigio.callback);
        wrapper.set_blocking(false);
        // One byte per call means one sigio round per handshake byte (a few thousand).
        const codes = await driveBySigio(
          sigio,
          () => wrapper.connect(echo()),
          [NSAPI_ERROR_IN_PROGRESS, NSAPI_ERROR_ALREADY],
          20_000,
        );
        expect(codes[0]).to.equal(NSAPI_ERROR_IN_PROGRESS);
        expect(codes.at(-1)).to.equal(NSAPI_ERROR_IS_CONNECTED);
        expect(new Set(codes.slice(1, -1))).to.satisfy((middle: Set<number>) =>
          [...middle].every((code) => code === NSAPI_ERROR_ALREADY),
        );
        expect(codes.length, 'the handshake needed several sigio rounds').to.be.greaterThan(2);

        const sent = await driveBySigio(sigio, () => wrapper.send(HELLO), [NSAPI_ERROR_WOULD_BLOCK], 1000);
        expect(sent.at(-1)).to.equal(HELLO.length);
        const back = Buffer.alloc(HELLO.length);
        for (let got = 0; got < back.length; ) {
          const read = await driveBySigio(sigio, () => wrapper.recv(back.subarray(got)));
          expect(read.at(-1)).to.be.greaterThan(0);
          got += read.at(-1) as number;
        }
        expect(back.equals(HELLO)).to.equal(true);
      });
    }

    it('a blocking connect makes the transport non-blocking when the handshake starts (start_handshake())', async () => {
      const { wrapper, transport } = wrap();
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
      expect(transport.get_timeout()).to.equal(0);
    });

    it('a failed handshake is sticky: connect, connect again, send and recv all AUTH_FAILURE; one TCP connection', async () => {
      const { wrapper, transport } = wrap();
      const tcpEcho = labAddress(lab(), 'tcp-echo');
      expect(await wrapper.connect(tcpEcho)).to.equal(NSAPI_ERROR_AUTH_FAILURE);
      expect(await wrapper.connect(tcpEcho)).to.equal(NSAPI_ERROR_AUTH_FAILURE);
      expect(await wrapper.send(HELLO)).to.equal(NSAPI_ERROR_AUTH_FAILURE);
      expect(await wrapper.recv(new Uint8Array(8))).to.equal(NSAPI_ERROR_AUTH_FAILURE);
      expect(transport.calls.connect).to.equal(1);
      expect(await wrapper.close()).to.equal(NSAPI_ERROR_OK);
    });

    it('a non-blocking handshake that fails: IN_PROGRESS/ALREADY, then AUTH_FAILURE, and it stays', async () => {
      const { wrapper } = wrap();
      const sigio = new SigioCounter();
      wrapper.sigio(sigio.callback);
      wrapper.set_blocking(false);
      const tcpEcho = labAddress(lab(), 'tcp-echo');
      const codes = await driveBySigio(sigio, () => wrapper.connect(tcpEcho), [
        NSAPI_ERROR_IN_PROGRESS,
        NSAPI_ERROR_ALREADY,
      ]);
      expect(codes.at(-1)).to.equal(NSAPI_ERROR_AUTH_FAILURE);
      expect(await wrapper.connect(tcpEcho)).to.equal(NSAPI_ERROR_AUTH_FAILURE);
    });

    for (const code of [NSAPI_ERROR_NO_CONNECTION, NSAPI_ERROR_DNS_FAILURE, NSAPI_ERROR_PARAMETER]) {
      it(`a transport connect error (${code}) comes back unchanged; TLS untouched, so a later connect retries`, async () => {
        const { wrapper, transport } = wrap();
        transport.connectResult = code;
        expect(await wrapper.connect(echo())).to.equal(code);
        expect(transport.calls.timeouts).to.deep.equal([]);
        transport.connectResult = null;
        expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
        expect(transport.calls.connect).to.equal(2);
      });
    }

    it('a refused TCP connection → NO_CONNECTION from the transport', async () => {
      const { wrapper } = wrap();
      expect(await wrapper.connect(new SocketAddress('127.0.0.1', await closedPort()))).to.equal(
        NSAPI_ERROR_NO_CONNECTION,
      );
    });
  });

  describe('blocking calls that wait at the same time', () => {
    it('a blocking send while a blocking recv waits: the send returns its count (not WOULD_BLOCK), the recv the echo', async () => {
      const { wrapper } = wrap();
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
      const buffer = new Uint8Array(HELLO.length);
      const receiving = wrapper.recv(buffer);
      expect(await wrapper.send(HELLO)).to.equal(HELLO.length);
      expect(await receiving).to.equal(HELLO.length);
      expect(Buffer.from(buffer).equals(HELLO)).to.equal(true);
    });

    it('against a server that never answers, sends complete while a recv waits; close ends the recv (DEVICE_ERROR)', async () => {
      const { wrapper, transport } = wrap({ hostname: lab().server('tls-discard').host });
      expect(await wrapper.connect(labAddress(lab(), 'tls-discard'))).to.equal(NSAPI_ERROR_OK);
      const receiving = wrapper.recv(new Uint8Array(8));
      expect(await wrapper.send(HELLO)).to.equal(HELLO.length);
      expect(await wrapper.send(HELLO)).to.equal(HELLO.length);
      expect(await wrapper.close()).to.equal(NSAPI_ERROR_OK);
      expect(recordsOf(transport.sent).at(-1)?.type).to.equal(CONTENT_ALERT);
      // The transport is gone under the waiting read: the BIO answers NO_SOCKET, which Mbed OS maps so too.
      expect(await receiving).to.equal(NSAPI_ERROR_DEVICE_ERROR);
    });
  });

  describe('close (TLSSocketWrapper::close()) and what a closed socket answers', () => {
    it('close twice → NO_SOCKET; send, recv, connect after close → NO_SOCKET', async () => {
      const { wrapper } = wrap();
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
      expect(await wrapper.close()).to.equal(NSAPI_ERROR_OK);
      expect(await wrapper.close()).to.equal(NSAPI_ERROR_NO_SOCKET);
      expect(await wrapper.send(HELLO)).to.equal(NSAPI_ERROR_NO_SOCKET);
      expect(await wrapper.recv(new Uint8Array(4))).to.equal(NSAPI_ERROR_NO_SOCKET);
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_NO_SOCKET);
    });

    it('close before any handshake: OK, the transport closed, no TLS byte sent', async () => {
      const { wrapper, transport } = wrap();
      expect(await wrapper.close()).to.equal(NSAPI_ERROR_OK);
      expect(transport.calls.close).to.equal(1);
      expect(transport.sent).to.deep.equal([]);
    });

    it('set_timeout after a close that never saw a handshake does not crash (Mbed OS dereferences null)', async () => {
      const { wrapper } = wrap();
      expect(await wrapper.close()).to.equal(NSAPI_ERROR_OK);
      expect(() => wrapper.set_timeout(10)).to.not.throw();
    });

    it('close after a failed handshake: no close_notify of ours, transport closed, OK', async () => {
      const { wrapper, transport } = wrap();
      expect(await wrapper.connect(labAddress(lab(), 'tcp-echo'))).to.equal(NSAPI_ERROR_AUTH_FAILURE);
      const sentBefore = transport.sent.length;
      expect(await wrapper.close()).to.equal(NSAPI_ERROR_OK);
      expect(transport.sent.length).to.equal(sentBefore);
      expect(transport.calls.close).to.equal(1);
    });

    it("close returns the transport's close result when close_notify went out", async () => {
      const { wrapper, transport } = wrap();
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
      transport.closeResult = NSAPI_ERROR_DEVICE_ERROR;
      expect(await wrapper.close()).to.equal(NSAPI_ERROR_DEVICE_ERROR);
    });

    it('close returns the close_notify error (the raw code the BIO saw) and still closes the transport', async () => {
      const { wrapper, transport } = wrap();
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
      transport.sendResults.push(NSAPI_ERROR_NO_CONNECTION);
      expect(await wrapper.close()).to.equal(NSAPI_ERROR_NO_CONNECTION);
      expect(transport.calls.close).to.equal(1);
      expect(await wrapper.close()).to.equal(NSAPI_ERROR_NO_SOCKET);
    });

    it('sigio is called while a connected socket closes', async () => {
      const { wrapper } = wrap();
      const sigio = new SigioCounter();
      wrapper.sigio(sigio.callback);
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
      await expectEcho(wrapper, HELLO);
      const before = sigio.count;
      expect(await wrapper.close()).to.equal(NSAPI_ERROR_OK);
      expect(sigio.count).to.be.greaterThan(before);
    });

    it('getpeername: NO_CONNECTION before the handshake (even over a connected transport), the peer after, NO_CONNECTION after close', async () => {
      const { wrapper, transport } = wrap({ control: control_transport.TRANSPORT_KEEP });
      const peer = new SocketAddress();
      expect(wrapper.getpeername(peer)).to.equal(NSAPI_ERROR_NO_CONNECTION);
      expect(await transport.connect(echo())).to.equal(NSAPI_ERROR_OK);
      expect(wrapper.getpeername(peer)).to.equal(NSAPI_ERROR_NO_CONNECTION);
      // recvfrom before the handshake leaves the address alone (TLSSocketWrapper::recvfrom()).
      const from = new SocketAddress('10.0.0.1', 1);
      wrapper.set_blocking(false);
      expect(await wrapper.recvfrom(from, new Uint8Array(4))).to.equal(NSAPI_ERROR_NO_CONNECTION);
      expect(String(from)).to.equal('10.0.0.1:1');
      wrapper.set_blocking(true);
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_OK);
      expect(wrapper.getpeername(peer)).to.equal(NSAPI_ERROR_OK);
      expect(peer.equals(echo())).to.equal(true);
      expect(await wrapper.close()).to.equal(NSAPI_ERROR_OK);
      expect(wrapper.getpeername(new SocketAddress())).to.equal(NSAPI_ERROR_NO_CONNECTION);
      await transport.close();
    });

    it('send while the handshake is pending finishes it (TLSSocketWrapper::send()): WOULD_BLOCK until connected, then the data', async () => {
      const { wrapper, transport } = wrap();
      const sigio = new SigioCounter();
      wrapper.sigio(sigio.callback);
      expect(await transport.connect(echo())).to.equal(NSAPI_ERROR_OK);
      wrapper.set_blocking(false);
      // The transport is connected already, so this call starts the handshake (not a first call: ALREADY).
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_ALREADY);
      const sent = await driveBySigio(sigio, () => wrapper.send(HELLO));
      expect(sent.slice(0, -1).every((code) => code === NSAPI_ERROR_WOULD_BLOCK)).to.equal(true);
      expect(sent.at(-1)).to.equal(HELLO.length);
      expect(await wrapper.connect(echo())).to.equal(NSAPI_ERROR_IS_CONNECTED);
    });
  });
});
