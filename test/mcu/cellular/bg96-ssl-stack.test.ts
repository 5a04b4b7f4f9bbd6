// The offload path of the BG96 driver, AT line by AT line (mbed-os QUECTEL_BG96_CellularStack.cpp:
// setsockopt, set_to_modem_impl, socket_connect, socket_close_impl), against a scripted modem.
import { expect } from 'chai';
import { ATHandler } from '../../../mcu/cellular/at-handler.ts';
import { QUECTEL_BG96_CellularStack } from '../../../mcu/cellular/quectel-bg96-stack.ts';
import { OffloadTLSSocket } from '../../../mcu/tls/tls-socket-offload.ts';
import {
  NSAPI_ERROR_AUTH_FAILURE,
  NSAPI_ERROR_DEVICE_ERROR,
  NSAPI_ERROR_NO_CONNECTION,
  NSAPI_ERROR_NO_SOCKET,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_PARAMETER,
  NSAPI_ERROR_UNSUPPORTED,
  NSAPI_SOCKET,
  NSAPI_TLSSOCKET_ENABLE,
  NSAPI_TLSSOCKET_LEVEL,
  NSAPI_UDP,
} from '../../../shared/nsapi.ts';
import { SocketAddress } from '../../../shared/socket-address.ts';
import { type MockPair, openMockPair } from '../../../shared/uart/mock-pair.ts';
import { ScriptedModem } from './scripted-modem.ts';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const peer = () => new SocketAddress('127.0.0.1', 4433);

describe('BG96 SSL stack (offloaded TLSSocket) against a scripted modem', () => {
  let pair: MockPair;
  let modem: ScriptedModem;
  let stack: QUECTEL_BG96_CellularStack;
  beforeEach(async () => {
    pair = await openMockPair('bg96-ssl');
    modem = new ScriptedModem(pair.modem);
    modem.on(/^AT\+QFUPL="[^"]+",(\d+)$/, (cmd) => {
      const size = Number(/,(\d+)$/.exec(cmd)![1]);
      modem.expectData(size, `\r\n+QFUPL: ${size},3a7f\r\n\r\nOK\r\n`);
      return '\r\nCONNECT\r\n';
    });
    modem.on(/^AT\+QSSLOPEN=/, (cmd) => {
      const id = cmd.split(',')[2];
      setTimeout(() => modem.urc(`+QSSLOPEN: ${id},0`), 5);
      return '\r\nOK\r\n';
    });
    modem.on(/^AT\+QSSLSEND=\d+,(\d+)$/, (cmd) => {
      modem.expectData(Number(/,(\d+)$/.exec(cmd)![1]), '\r\nSEND OK\r\n');
      return '\r\n> ';
    });
    stack = new QUECTEL_BG96_CellularStack(new ATHandler(pair.mcu, { timeoutMs: 500 }), 1, {
      tlsSocket: 'offload',
    });
  });
  afterEach(() => pair.close());

  it('sweeps AT+QSSLCLOSE=0..11 at start, ignoring errors', async () => {
    modem.on(/^AT\+QSSLCLOSE=/, '\r\nERROR\r\n');
    await stack.init();
    expect(modem.commands).to.deep.equal(Array.from({ length: 12 }, (_, i) => `AT+QSSLCLOSE=${i}`));
  });

  it('runs the driver transcript: upload CA, hostname, ENABLE, QSSLOPEN, QSSLSEND, close', async () => {
    const sock = new OffloadTLSSocket();
    expect(await sock.set_root_ca_cert(CA)).to.equal(NSAPI_ERROR_NO_SOCKET); // before open()
    expect(sock.open(stack)).to.equal(NSAPI_ERROR_OK);
    expect(await sock.set_root_ca_cert(CA)).to.equal(NSAPI_ERROR_OK);
    expect(await sock.set_hostname('echo.tlssim.test')).to.equal(NSAPI_ERROR_OK);
    expect(await sock.connect(peer())).to.equal(NSAPI_ERROR_OK);
    expect(await sock.send(Buffer.from('hello'))).to.equal(5);
    expect(await sock.close()).to.equal(NSAPI_ERROR_OK);
    expect(modem.commands).to.deep.equal([
      'AT+QFDEL="cacert.pem"',
      `AT+QFUPL="cacert.pem",${CA.length}`,
      'AT+QSSLCFG="cacert",0,"cacert.pem"',
      'AT+QSSLCFG="checkhost",0,"echo.tlssim.test"',
      'AT+QSSLCFG="seclevel",0,1',
      'AT+QSSLCFG="sslversion",0,4',
      'AT+QSSLCFG="ciphersuite",0,0xFFFF',
      'AT+QSSLOPEN=1,0,0,"127.0.0.1",4433,0',
      'AT+QSSLSEND=0,5',
      'AT+QSSLCLOSE=0',
      'AT+QSSLCFG="seclevel",0,0',
    ]);
    expect(modem.payloads[0].toString()).to.equal(CA); // strlen bytes: no NUL in offload mode
    expect(modem.payloads[1].toString()).to.equal('hello');
    expect(stack.tlsOffload?.tls_sec_level).to.equal(0);
  });

  it('a server that vanishes: +QSSLURC "closed" → recv drains then 0, send NO_CONNECTION', async () => {
    const sock = new OffloadTLSSocket();
    sock.open(stack);
    expect(await sock.set_root_ca_cert(CA)).to.equal(NSAPI_ERROR_OK);
    expect(await sock.connect(peer())).to.equal(NSAPI_ERROR_OK);
    let woken = 0;
    sock.sigio(() => woken++);
    modem.urc('+QSSLURC: "closed",0');
    await new Promise((r) => setTimeout(r, 20));
    expect(woken).to.equal(1);
    modem.on(/^AT\+QSSLRECV=0,/, '\r\n+QSSLRECV: 4\r\nlast\r\n\r\nOK\r\n');
    const buffer = new Uint8Array(16);
    expect(await sock.recv(buffer)).to.equal(4);
    modem.on(/^AT\+QSSLRECV=0,/, '\r\n+QSSLRECV: 0\r\n\r\nOK\r\n');
    expect(await sock.recv(buffer)).to.equal(0);
    expect(await sock.send(Buffer.from('x'))).to.equal(NSAPI_ERROR_NO_CONNECTION);
  });

  it('client certificate and key raise the security level to 2, in that order', async () => {
    const sock = new OffloadTLSSocket();
    sock.open(stack);
    expect(await sock.set_client_cert_key('CERT', 'KEY')).to.equal(NSAPI_ERROR_OK);
    expect(modem.commands.filter((c) => c.startsWith('AT+QSSLCFG'))).to.deep.equal([
      'AT+QSSLCFG="clientcert",0,"clcert.pem"',
      'AT+QSSLCFG="clientkey",0,"client.key"',
    ]);
    expect(stack.tlsOffload?.tls_sec_level).to.equal(2);
  });

  it('connect without any credential is AUTH_FAILURE with no QSSLOPEN', async () => {
    const sock = new OffloadTLSSocket();
    sock.open(stack);
    expect(await sock.connect(peer())).to.equal(NSAPI_ERROR_AUTH_FAILURE);
    expect(modem.commands.some((c) => c.startsWith('AT+QSSLOPEN'))).to.equal(false);
  });

  it('a +QSSLOPEN error closes with AT+QICLOSE, retries once, then AUTH_FAILURE', async () => {
    modem.on(/^AT\+QSSLOPEN=/, () => {
      setTimeout(() => modem.urc('+QSSLOPEN: 0,552'), 5);
      return '\r\nOK\r\n';
    });
    const sock = new OffloadTLSSocket();
    sock.open(stack);
    expect(await sock.set_root_ca_cert(CA)).to.equal(NSAPI_ERROR_OK);
    expect(await sock.connect(peer())).to.equal(NSAPI_ERROR_AUTH_FAILURE);
    const opens = modem.commands.filter((c) => /^AT\+(QSSLOPEN|QICLOSE)/.test(c));
    expect(opens).to.deep.equal([
      'AT+QSSLOPEN=1,0,0,"127.0.0.1",4433,0',
      'AT+QICLOSE=0',
      'AT+QSSLOPEN=1,0,0,"127.0.0.1",4433,0',
    ]);
  });

  it('an upload the modem acknowledges with the wrong size is DEVICE_ERROR and sets no level', async () => {
    modem.on(/^AT\+QFUPL=/, (cmd) => {
      const size = Number(/,(\d+)$/.exec(cmd)![1]);
      modem.expectData(size, `\r\n+QFUPL: ${size - 1},3a7f\r\n\r\nOK\r\n`);
      return '\r\nCONNECT\r\n';
    });
    const sock = new OffloadTLSSocket();
    sock.open(stack);
    expect(await sock.set_root_ca_cert(CA)).to.equal(NSAPI_ERROR_DEVICE_ERROR);
    expect(stack.tlsOffload?.tls_sec_level).to.equal(0);
    expect(modem.commands.some((c) => c.startsWith('AT+QSSLCFG="cacert"'))).to.equal(false);
  });

  it('a modem that refuses the upload (+CME ERROR) gives DEVICE_ERROR, and the next command still works', async () => {
    modem.on(/^AT\+QFUPL=/, '\r\n+CME ERROR: 407\r\n');
    const sock = new OffloadTLSSocket();
    sock.open(stack);
    expect(await sock.set_root_ca_cert(CA)).to.equal(NSAPI_ERROR_DEVICE_ERROR);
    expect(await sock.set_hostname('h')).to.equal(NSAPI_ERROR_OK);
  });

  it('ENABLE with false still enables (the driver tests the pointer); UDP is PARAMETER; other levels UNSUPPORTED', async () => {
    const tcp = stack.socket_open(0).handle;
    expect(
      await stack.setsockopt(tcp, NSAPI_TLSSOCKET_LEVEL, NSAPI_TLSSOCKET_ENABLE, Uint8Array.of(0)),
    ).to.equal(NSAPI_ERROR_OK);
    expect(modem.commands[0]).to.equal('AT+QSSLCFG="seclevel",0,0');
    const udp = stack.socket_open(NSAPI_UDP).handle;
    expect(
      await stack.setsockopt(udp, NSAPI_TLSSOCKET_LEVEL, NSAPI_TLSSOCKET_ENABLE, Uint8Array.of(1)),
    ).to.equal(NSAPI_ERROR_PARAMETER);
    expect(await stack.setsockopt(tcp, NSAPI_SOCKET, 0, Uint8Array.of(1))).to.equal(NSAPI_ERROR_UNSUPPORTED);
    expect(await stack.setsockopt(tcp, NSAPI_TLSSOCKET_LEVEL, NSAPI_TLSSOCKET_ENABLE, null)).to.equal(
      NSAPI_ERROR_PARAMETER,
    );
  });
});
