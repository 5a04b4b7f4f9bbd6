// The plain-socket driver when the modem misbehaves: silence, errors, noise. Each gives an nsapi code
// within the AT timeout and the next command works.
import { expect } from 'chai';
import { ATHandler } from '../../../mcu/cellular/at-handler.ts';
import { QUECTEL_BG96_CellularStack } from '../../../mcu/cellular/quectel-bg96-stack.ts';
import { TCPSocket } from '../../../mcu/netsocket/tcp-socket.ts';
import {
  NSAPI_ERROR_DEVICE_ERROR,
  NSAPI_ERROR_NO_CONNECTION,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_WOULD_BLOCK,
} from '../../../shared/nsapi.ts';
import { SocketAddress } from '../../../shared/socket-address.ts';
import { type MockPair, openMockPair } from '../../../shared/uart/mock-pair.ts';
import { ScriptedModem } from './scripted-modem.ts';

describe('BG96 CellularStack when the modem misbehaves', () => {
  let pair: MockPair;
  let modem: ScriptedModem;
  let socket: TCPSocket;
  beforeEach(async () => {
    pair = await openMockPair('bg96-faults');
    modem = new ScriptedModem(pair.modem);
    modem.on(/^AT\+QIOPEN=/, (cmd) => {
      setTimeout(() => modem.urc(`+QIOPEN: ${cmd.split(',')[1]},0`), 2);
      return '\r\nOK\r\n';
    });
    modem.on(/^AT\+QISEND=\d+,0$/, '\r\n+QISEND: 0,0,0\r\n\r\nOK\r\n');
    const stack = new QUECTEL_BG96_CellularStack(new ATHandler(pair.mcu, { timeoutMs: 200 }), 1);
    socket = new TCPSocket(stack);
    socket.set_blocking(false);
    expect(await socket.connect(new SocketAddress('127.0.0.1', 7))).to.equal(NSAPI_ERROR_OK);
  });
  afterEach(() => pair.close());

  it('a modem that goes silent gives DEVICE_ERROR within the AT timeout; the next read works', async () => {
    modem.on(/^AT\+QIRD=/, () => null);
    // Bounded by the 200 ms AT timeout: a hang would trip mocha's test timeout instead.
    expect(await socket.recv(new Uint8Array(10))).to.equal(NSAPI_ERROR_DEVICE_ERROR);
    modem.on(/^AT\+QIRD=/, '\r\n+QIRD: 3\r\nabc\r\n\r\nOK\r\n');
    const buffer = new Uint8Array(10);
    expect(await socket.recv(buffer)).to.equal(3);
    expect(Buffer.from(buffer.subarray(0, 3)).toString()).to.equal('abc');
  });

  it('SEND FAIL and +CME ERROR on send are DEVICE_ERROR', async () => {
    modem.on(/^AT\+QISEND=\d+,[1-9]\d*$/, (cmd) => {
      modem.expectData(Number(cmd.split(',')[1]), '\r\nSEND FAIL\r\n');
      return '\r\n> ';
    });
    expect(await socket.send(Buffer.from('hello'))).to.equal(NSAPI_ERROR_DEVICE_ERROR);
    modem.on(/^AT\+QISEND=\d+,[1-9]\d*$/, '\r\n+CME ERROR: 558\r\n');
    expect(await socket.send(Buffer.from('hello'))).to.equal(NSAPI_ERROR_DEVICE_ERROR);
  });

  it('UART noise while idle is discarded; the next exchange is intact', async () => {
    pair.modem.write(
      Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x41, 0x54, 0x0d, 0x0a, 0x7e, 0x3e, 0x20, 0x0d, 0x0a]),
    );
    pair.modem.write('\r\n+QIURC: "recv",9\r\nGARBAGE LINE\r\n');
    await new Promise((r) => setTimeout(r, 20));
    modem.on(/^AT\+QIRD=/, '\r\n+QIRD: 0\r\n\r\nOK\r\n');
    expect(await socket.recv(new Uint8Array(10))).to.equal(NSAPI_ERROR_WOULD_BLOCK);
  });

  it('a "closed" URC: recv drains, then 0; send is NO_CONNECTION', async () => {
    modem.urc('+QIURC: "closed",0');
    await new Promise((r) => setTimeout(r, 20));
    modem.on(/^AT\+QIRD=/, '\r\n+QIRD: 2\r\nhi\r\n\r\nOK\r\n');
    expect(await socket.recv(new Uint8Array(10))).to.equal(2);
    modem.on(/^AT\+QIRD=/, '\r\n+QIRD: 0\r\n\r\nOK\r\n');
    expect(await socket.recv(new Uint8Array(10))).to.equal(0);
    expect(await socket.send(Buffer.from('x'))).to.equal(NSAPI_ERROR_NO_CONNECTION);
  });
});
