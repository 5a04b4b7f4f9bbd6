// The driver never trusts a modem's lengths and counters: a +QIRD / +QSSLRECV length that does not
// describe the data, more data than was asked for, and a +QISEND total that goes back or jumps ahead are
// each NSAPI_ERROR_DEVICE_ERROR — never framing bytes delivered as data, never data silently lost, never
// a size larger than the call was given — and the next exchange works (docs/deviations.md, "ATHandler").
import { expect } from 'chai';
import { ATHandler } from '../../../mcu/cellular/at-handler.ts';
import { QUECTEL_BG96_CellularStack } from '../../../mcu/cellular/quectel-bg96-stack.ts';
import { TCPSocket } from '../../../mcu/netsocket/tcp-socket.ts';
import { UDPSocket } from '../../../mcu/netsocket/udp-socket.ts';
import { MbedtlsTLSSocket } from '../../../mcu/tls/tls-socket-mbedtls.ts';
import { OffloadTLSSocket } from '../../../mcu/tls/tls-socket-offload.ts';
import {
  NSAPI_ERROR_AUTH_FAILURE,
  NSAPI_ERROR_DEVICE_ERROR,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_WOULD_BLOCK,
} from '../../../shared/nsapi.ts';
import { SocketAddress } from '../../../shared/socket-address.ts';
import { type MockPair, openMockPair } from '../../../shared/uart/mock-pair.ts';
import { ScriptedModem } from './scripted-modem.ts';

/** A read response as the BG96 frames it: the length line, the bytes, their line end, then OK. */
const readAnswer = (prefix: string, claimed: number, data: string): string =>
  `\r\n${prefix}: ${claimed}\r\n${data}\r\n\r\nOK\r\n`;

/** One command family under test: how to get a connected socket of it on the scripted modem. */
interface Family {
  read: string;
  connect(modem: ScriptedModem, at: ATHandler): Promise<TCPSocket>;
}

const TCPIP: Family = {
  read: '+QIRD',
  async connect(modem, at) {
    modem.on(/^AT\+QIOPEN=/, (cmd) => {
      setTimeout(() => modem.urc(`+QIOPEN: ${cmd.split(',')[1]},0`), 2);
      return '\r\nOK\r\n';
    });
    const socket = new TCPSocket(new QUECTEL_BG96_CellularStack(at, 1));
    expect(await socket.connect(new SocketAddress('127.0.0.1', 7))).to.equal(NSAPI_ERROR_OK);
    return socket;
  },
};

const SSL: Family = {
  read: '+QSSLRECV',
  async connect(modem, at) {
    modem.on(/^AT\+QSSLOPEN=/, (cmd) => {
      setTimeout(() => modem.urc(`+QSSLOPEN: ${cmd.split(',')[2]},0`), 2);
      return '\r\nOK\r\n';
    });
    modem.on(/^AT\+QFUPL="[^"]+",(\d+)$/, (cmd) => {
      const size = Number(/,(\d+)$/.exec(cmd)?.[1]);
      modem.expectData(size, `\r\n+QFUPL: ${size},1\r\n\r\nOK\r\n`);
      return '\r\nCONNECT\r\n';
    });
    const socket = new OffloadTLSSocket();
    socket.open(new QUECTEL_BG96_CellularStack(at, 1, { tlsSocket: 'offload' }));
    expect(await socket.set_root_ca_cert('CA')).to.equal(NSAPI_ERROR_OK);
    expect(await socket.connect(new SocketAddress('127.0.0.1', 7))).to.equal(NSAPI_ERROR_OK);
    return socket;
  },
};

describe('BG96 driver: lengths and counters from the modem are checked', () => {
  let pair: MockPair;
  let modem: ScriptedModem;
  let at: ATHandler;
  beforeEach(async () => {
    pair = await openMockPair('bg96-lengths');
    modem = new ScriptedModem(pair.modem);
    at = new ATHandler(pair.mcu, { timeoutMs: 300 });
  });
  afterEach(() => pair.close());

  /** A well-framed read right after: the handler is in step with the modem again. */
  async function expectResynced(socket: TCPSocket, read: string): Promise<void> {
    const pattern = new RegExp(`^AT\\${read}=`);
    modem.on(pattern, readAnswer(read, 5, 'fresh'));
    const buffer = new Uint8Array(64);
    expect(await socket.recv(buffer)).to.equal(5);
    expect(Buffer.from(buffer.subarray(0, 5)).toString()).to.equal('fresh');
  }

  for (const family of [TCPIP, SSL]) {
    const { read } = family;
    const pattern = new RegExp(`^AT\\${read}=`);

    describe(`${read}`, () => {
      let socket: TCPSocket;
      beforeEach(async () => {
        socket = await family.connect(modem, at);
        socket.set_blocking(false);
      });

      for (const extra of [1, 2, 3, 4]) {
        it(`a length ${extra} byte(s) too long (framing taken as data) is DEVICE_ERROR, then in step`, async () => {
          modem.on(pattern, readAnswer(read, 3 + extra, 'abc'));
          const buffer = new Uint8Array(64);
          expect(await socket.recv(buffer)).to.equal(NSAPI_ERROR_DEVICE_ERROR);
          expect(Buffer.from(buffer).toString('latin1')).to.not.contain('abc');
          await expectResynced(socket, read);
        });
      }

      it('a length that swallows the whole OK runs into the AT timeout: DEVICE_ERROR, then in step', async () => {
        const framing = '\r\n\r\nOK\r\n';
        modem.on(pattern, readAnswer(read, 3 + framing.length, 'abc'));
        expect(await socket.recv(new Uint8Array(64))).to.equal(NSAPI_ERROR_DEVICE_ERROR);
        await expectResynced(socket, read);
      });

      it('a length too short ("abcdef" claimed as 2) is DEVICE_ERROR, never "ab"', async () => {
        modem.on(pattern, readAnswer(read, 2, 'abcdef'));
        const buffer = new Uint8Array(64);
        expect(await socket.recv(buffer)).to.equal(NSAPI_ERROR_DEVICE_ERROR);
        expect(buffer[0]).to.equal(0);
        await expectResynced(socket, read);
      });

      it('a short length whose tail holds a fake OK line still leaves nothing to answer the next command', async () => {
        modem.on(pattern, readAnswer(read, 2, 'ab\r\nOK\r\nxyz'));
        expect(await socket.recv(new Uint8Array(64))).to.equal(NSAPI_ERROR_DEVICE_ERROR);
        await expectResynced(socket, read);
      });

      it('more than the application buffer asked for is refused, and consumed', async () => {
        modem.on(pattern, readAnswer(read, 20, 'twenty bytes of data'));
        const buffer = new Uint8Array(8);
        expect(await socket.recv(buffer)).to.equal(NSAPI_ERROR_DEVICE_ERROR);
        expect(modem.commands.at(-1)).to.match(new RegExp(`^AT\\${read}=\\d+,8$`));
        await expectResynced(socket, read);
      });

      it('more than the 1500 bytes asked for (2000) is refused, and consumed', async () => {
        modem.on(pattern, readAnswer(read, 2000, 'x'.repeat(2000)));
        expect(await socket.recv(new Uint8Array(4000))).to.equal(NSAPI_ERROR_DEVICE_ERROR);
        expect(modem.commands.at(-1)).to.match(new RegExp(`^AT\\${read}=\\d+,1500$`));
        await expectResynced(socket, read);
      });

      it('data that is itself framing-like is delivered whole when the length is right', async () => {
        const tricky = 'ab\r\n\r\nOK\r\n';
        modem.on(pattern, readAnswer(read, tricky.length, tricky));
        const buffer = new Uint8Array(64);
        expect(await socket.recv(buffer)).to.equal(tricky.length);
        expect(Buffer.from(buffer.subarray(0, tricky.length)).toString('latin1')).to.equal(tricky);
      });

      it('a URC between the data and OK is dispatched and the data kept', async () => {
        modem.on(pattern, `\r\n${read}: 3\r\nabc\r\n\r\n+QIURC: "recv",0\r\n\r\nOK\r\n`);
        const buffer = new Uint8Array(64);
        expect(await socket.recv(buffer)).to.equal(3);
        expect(Buffer.from(buffer.subarray(0, 3)).toString()).to.equal('abc');
      });

      it('a length of 0 followed by data is DEVICE_ERROR, not WOULD_BLOCK', async () => {
        modem.on(pattern, `\r\n${read}: 0\r\nabc\r\n\r\nOK\r\n`);
        expect(await socket.recv(new Uint8Array(64))).to.equal(NSAPI_ERROR_DEVICE_ERROR);
        modem.on(pattern, `\r\n${read}: 0\r\n\r\nOK\r\n`);
        expect(await socket.recv(new Uint8Array(64))).to.equal(NSAPI_ERROR_WOULD_BLOCK);
      });
    });
  }

  it('UDP: a datagram length that does not match its data, or over 1500, is DEVICE_ERROR', async () => {
    modem.on(/^AT\+QIOPEN=/, (cmd) => {
      setTimeout(() => modem.urc(`+QIOPEN: ${cmd.split(',')[1]},0`), 2);
      return '\r\nOK\r\n';
    });
    const socket = new UDPSocket(new QUECTEL_BG96_CellularStack(at, 1));
    socket.set_blocking(false);
    const from = new SocketAddress();
    const buffer = new Uint8Array(2000);
    const datagram = (claimed: number, data: string) =>
      `\r\n+QIRD: ${claimed},"127.0.0.1",9\r\n${data}\r\n\r\nOK\r\n`;
    modem.on(/^AT\+QIRD=\d+$/, datagram(6, 'abc'));
    expect(await socket.recvfrom(from, buffer)).to.equal(NSAPI_ERROR_DEVICE_ERROR);
    modem.on(/^AT\+QIRD=\d+$/, datagram(1501, 'x'.repeat(1501)));
    expect(await socket.recvfrom(from, buffer)).to.equal(NSAPI_ERROR_DEVICE_ERROR);
    modem.on(/^AT\+QIRD=\d+$/, '\r\n+QIRD: 3,"127.0.0.1",9\r\nabc\r\n\r\nOK\r\n');
    expect(await socket.recvfrom(from, buffer)).to.equal(3);
    expect(from.get_port()).to.equal(9);
  });

  describe('+QISEND sent counter', () => {
    let socket: TCPSocket;
    let totals: number[];
    beforeEach(async () => {
      socket = await TCPIP.connect(modem, at);
      socket.set_blocking(false);
      modem.on(/^AT\+QISEND=\d+,[1-9]\d*$/, (cmd) => {
        modem.expectData(Number(cmd.split(',')[1]), '\r\nSEND OK\r\n');
        return '\r\n> ';
      });
      totals = [];
      modem.on(/^AT\+QISEND=\d+,0$/, () => {
        const total = totals.shift() ?? 0;
        return `\r\n+QISEND: ${total},${total},0\r\n\r\nOK\r\n`;
      });
    });

    it('a total that jumps past what was sent is DEVICE_ERROR, not a 1 000 000-byte send', async () => {
      totals.push(0, 1_000_000);
      expect(await socket.send(Buffer.from('hello'))).to.equal(NSAPI_ERROR_DEVICE_ERROR);
    });

    it('a total that goes back is DEVICE_ERROR', async () => {
      totals.push(100, 50);
      expect(await socket.send(Buffer.from('hello'))).to.equal(NSAPI_ERROR_DEVICE_ERROR);
    });

    it('in mbedtls mode TLSSocket.connect() gets an nsapi code from the handshake, not an exception', async () => {
      totals.push(0, 1_000_000);
      const tls = new MbedtlsTLSSocket();
      expect(tls.open(new QUECTEL_BG96_CellularStack(at, 1))).to.equal(NSAPI_ERROR_OK);
      // The transport's DEVICE_ERROR fails the handshake; TLSSocketWrapper reports that as AUTH_FAILURE.
      expect(await tls.connect(new SocketAddress('127.0.0.1', 7))).to.equal(NSAPI_ERROR_AUTH_FAILURE);
      expect(modem.payloads[0].subarray(0, 1)).to.deep.equal(Buffer.of(0x16)); // the ClientHello went out
      await tls.destroy();
    });

    it('a total that did not move is WOULD_BLOCK, not a send of 0 bytes', async () => {
      // docs/deviations.md, "BG96 driver quirks": a 0 would make TCPSocket::send loop without waiting.
      totals.push(100, 100);
      expect(await socket.send(Buffer.from('hello'))).to.equal(NSAPI_ERROR_WOULD_BLOCK);
      expect(modem.payloads.map((p) => p.toString())).to.deep.equal(['hello']);
    });

    it('a consistent total is the bytes sent', async () => {
      totals.push(100, 105);
      expect(await socket.send(Buffer.from('hello'))).to.equal(5);
    });
  });
});
