// Each BG96 socket speaks its command family: a plain socket only AT+QI* (and counts what it sent
// with AT+QISEND=<id>,0), a socket made secure in offload mode only AT+QSSL*; URCs reach the socket of
// their own family. One stack serves both.
import { expect } from 'chai';
import { ATHandler } from '../../../mcu/cellular/at-handler.ts';
import { QUECTEL_BG96_CellularStack } from '../../../mcu/cellular/quectel-bg96-stack.ts';
import { TCPSocket } from '../../../mcu/netsocket/tcp-socket.ts';
import { OffloadTLSSocket } from '../../../mcu/tls/tls-socket-offload.ts';
import {
  NSAPI_ERROR_OK,
  NSAPI_ERROR_UNSUPPORTED,
  NSAPI_TLSSOCKET_ENABLE,
  NSAPI_TLSSOCKET_LEVEL,
} from '../../../shared/nsapi.ts';
import { SocketAddress } from '../../../shared/socket-address.ts';
import { type MockPair, openMockPair } from '../../../shared/uart/mock-pair.ts';
import { ScriptedModem } from './scripted-modem.ts';

const peer = () => new SocketAddress('127.0.0.1', 4433);
const SOCKET_COMMANDS = /^AT\+(QIOPEN|QISEND|QIRD|QICLOSE|QSSLOPEN|QSSLSEND|QSSLRECV|QSSLCLOSE)=/;

/** A modem that opens, takes data, has 2 bytes to read once, and closes, in either family. */
function answerBoth(modem: ScriptedModem): void {
  for (const open of ['QIOPEN', 'QSSLOPEN']) {
    modem.on(new RegExp(`^AT\\+${open}=`), (cmd) => {
      const id = cmd.split(',')[open === 'QIOPEN' ? 1 : 2];
      setTimeout(() => modem.urc(`+${open}: ${id},0`), 2);
      return '\r\nOK\r\n';
    });
  }
  modem.on(/^AT\+(QISEND|QSSLSEND)=\d+,[1-9]\d*$/, (cmd) => {
    modem.expectData(Number(cmd.split(',')[1]), '\r\nSEND OK\r\n');
    return '\r\n> ';
  });
  let total = 0;
  modem.on(/^AT\+QISEND=\d+,0$/, () => `\r\n+QISEND: ${total++ === 0 ? 0 : 5},0,0\r\n\r\nOK\r\n`);
  modem.on(/^AT\+(QIRD|QSSLRECV)=/, (cmd) => `\r\n+${cmd.slice(3, cmd.indexOf('='))}: 2\r\nhi\r\n\r\nOK\r\n`);
  modem.on(/^AT\+QFUPL="[^"]+",(\d+)$/, (cmd) => {
    const size = Number(/,(\d+)$/.exec(cmd)![1]);
    modem.expectData(size, `\r\n+QFUPL: ${size},1\r\n\r\nOK\r\n`);
    return '\r\nCONNECT\r\n';
  });
}

describe('BG96 command families', () => {
  let pair: MockPair;
  let modem: ScriptedModem;
  let at: ATHandler;
  beforeEach(async () => {
    pair = await openMockPair('bg96-families');
    modem = new ScriptedModem(pair.modem);
    answerBoth(modem);
    at = new ATHandler(pair.mcu, { timeoutMs: 300 });
  });
  afterEach(() => pair.close());

  async function exercise(socket: TCPSocket): Promise<string[]> {
    expect(await socket.connect(peer())).to.equal(NSAPI_ERROR_OK);
    expect(await socket.send(Buffer.from('hello'))).to.equal(5);
    expect(await socket.recv(new Uint8Array(8))).to.equal(2);
    expect(await socket.close()).to.equal(NSAPI_ERROR_OK);
    return modem.commands.filter((c) => SOCKET_COMMANDS.test(c));
  }

  it('a plain socket speaks only TCP/IP commands, counting sent bytes with AT+QISEND=<id>,0', async () => {
    const stack = new QUECTEL_BG96_CellularStack(at, 1, { tlsSocket: 'offload' });
    const commands = await exercise(new TCPSocket(stack));
    expect(commands[0]).to.match(/^AT\+QIOPEN=1,0,"TCP","127\.0\.0\.1",4433,\d+,0$/);
    expect(commands.slice(1)).to.deep.equal([
      'AT+QISEND=0,0',
      'AT+QISEND=0,5',
      'AT+QISEND=0,0',
      'AT+QIRD=0,8',
      'AT+QICLOSE=0',
    ]);
    expect(modem.commands.some((c) => c.includes('QSSL'))).to.equal(false);
  });

  it('a secured socket speaks only SSL commands and never counts with AT+QISEND=<id>,0', async () => {
    const stack = new QUECTEL_BG96_CellularStack(at, 1, { tlsSocket: 'offload' });
    const socket = new OffloadTLSSocket();
    socket.open(stack);
    expect(await socket.set_root_ca_cert('CA')).to.equal(NSAPI_ERROR_OK);
    const commands = await exercise(socket);
    expect(commands).to.deep.equal([
      'AT+QSSLOPEN=1,0,0,"127.0.0.1",4433,0',
      'AT+QSSLSEND=0,5',
      'AT+QSSLRECV=0,8',
      'AT+QSSLCLOSE=0',
    ]);
    expect(modem.commands.some((c) => /^AT\+QI/.test(c))).to.equal(false);
  });

  it('URCs wake only the socket of their family, on one stack', async () => {
    const stack = new QUECTEL_BG96_CellularStack(at, 1, { tlsSocket: 'offload' });
    const plain = new TCPSocket(stack);
    const secure = new OffloadTLSSocket();
    secure.open(stack);
    expect(await secure.set_root_ca_cert('CA')).to.equal(NSAPI_ERROR_OK);
    expect(await plain.connect(peer())).to.equal(NSAPI_ERROR_OK); // connect id 0
    expect(await secure.connect(peer())).to.equal(NSAPI_ERROR_OK); // connect id 1
    const woken: string[] = [];
    plain.sigio(() => woken.push('plain'));
    secure.sigio(() => woken.push('secure'));
    for (const urc of [
      '+QIURC: "recv",0',
      '+QSSLURC: "recv",1',
      '+QIURC: "recv",1',
      '+QSSLURC: "closed",0',
    ]) {
      modem.urc(urc);
    }
    await new Promise((r) => setTimeout(r, 20));
    expect(woken).to.deep.equal(['plain', 'secure']);
  });

  it('without the offloaded TLSSocket the stack has no TLS option and sweeps nothing at start', async () => {
    const stack = new QUECTEL_BG96_CellularStack(at, 1, { tlsSocket: 'mbedtls' });
    await stack.init();
    const socket = stack.socket_open(0).handle;
    expect(
      await stack.setsockopt(socket, NSAPI_TLSSOCKET_LEVEL, NSAPI_TLSSOCKET_ENABLE, Uint8Array.of(1)),
    ).to.equal(NSAPI_ERROR_UNSUPPORTED);
    expect(stack.tlsOffload).to.equal(null);
    expect(modem.commands).to.deep.equal([]);
  });
});
