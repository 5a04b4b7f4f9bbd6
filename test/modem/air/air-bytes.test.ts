// The modem's air figures, checked against what the server's own TCP socket counted: the payload bytes
// must match exactly in both directions, for a plain TCP socket (mbedtls mode carries TLS this way) and
// for the modem's own TLS (offload mode), whose encrypted bytes no JavaScript sees without the meter.
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { expect } from 'chai';
import { IPV4_HEADER_BYTES, TCP_HEADER_BYTES, UDP_HEADER_BYTES } from '../../../modem/air/air-meter.ts';
import { startUdpEcho } from '../helpers/echo-servers.ts';
import { type ModemHarness, startModem } from '../helpers/modem-harness.ts';
import { generateTestPki, type TestPki } from '../helpers/test-pki.ts';

interface Counted {
  port: number;
  /** raw TCP payload bytes per finished connection, as the server's socket counted them */
  finished: { read: number; written: number }[];
  close(): Promise<void>;
}

async function listen(server: Server, sockets: Socket[], finished: Counted['finished']): Promise<Counted> {
  server.on('connection', (raw: Socket) => {
    sockets.push(raw);
    raw.on('error', () => {});
    raw.on('close', () => finished.push({ read: raw.bytesRead, written: raw.bytesWritten }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    finished,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).to.equal(true);
}

describe('modem/air: bytes over the air per connection', () => {
  let pki: TestPki;
  let h: ModemHarness;
  before(() => {
    pki = generateTestPki();
  });
  beforeEach(async () => {
    h = await startModem({}, true);
  });
  afterEach(() => h.close());

  it('a QI TCP socket: payload as the server counted it, 3 + 4 control segments, 40 header bytes each', async () => {
    const finished: Counted['finished'] = [];
    const server = await listen(
      createTcpServer((socket) => socket.pipe(socket)),
      [],
      finished,
    );
    try {
      expect(await h.at.command(`AT+QIOPEN=1,0,"TCP","127.0.0.1",${server.port},0,0`)).to.equal('\r\nOK\r\n');
      await h.at.until('+QIOPEN: 0,0\r\n');
      expect(await h.at.sendData('AT+QISEND=0,100', Buffer.alloc(100, 0x41))).to.equal('\r\nSEND OK\r\n');
      await h.at.until('+QIURC: "recv",0\r\n');
      expect(await h.at.command('AT+QICLOSE=0')).to.equal('\r\nOK\r\n');
      await until(() => finished.length === 1);
      const [connection] = h.modem.airConnections();
      expect(connection.modemTls).to.equal(false);
      expect(connection.up.payloadBytes).to.equal(finished[0].read).and.to.equal(100);
      expect(connection.down.payloadBytes).to.equal(finished[0].written).and.to.equal(100);
      expect(connection.up.application).to.equal(100);
      expect(connection.up.packets).to.equal(2 + 1 + 2); // SYN, ACK; one data segment; FIN, ACK
      expect(connection.down.packets).to.equal(1 + 1 + 2);
      expect(connection.up.headerBytes).to.equal(5 * (IPV4_HEADER_BYTES + TCP_HEADER_BYTES));
    } finally {
      await server.close();
    }
  });

  it('an SSL client (the modem runs TLS): the encrypted bytes as the server counted them, split by record type', async () => {
    const finished: Counted['finished'] = [];
    const server = await listen(
      createTlsServer({ cert: pki.server.cert, key: pki.server.key, minVersion: 'TLSv1.2' }, (socket) => {
        socket.on('error', () => {});
        socket.pipe(socket);
      }),
      [],
      finished,
    );
    try {
      for (const line of ['"seclevel",0,0', '"sslversion",0,4', '"ciphersuite",0,0xFFFF'])
        expect(await h.at.command(`AT+QSSLCFG=${line}`)).to.equal('\r\nOK\r\n');
      expect(await h.at.command(`AT+QSSLOPEN=1,0,0,"127.0.0.1",${server.port},0`)).to.equal('\r\nOK\r\n');
      await h.at.until('+QSSLOPEN: 0,0\r\n');
      expect(await h.at.sendData('AT+QSSLSEND=0,5', 'hello')).to.equal('\r\nSEND OK\r\n');
      await h.at.until('+QSSLURC: "recv",0\r\n');
      expect(await h.at.command('AT+QSSLCLOSE=0')).to.equal('\r\nOK\r\n');
      await until(() => finished.length === 1);
      const [connection] = h.modem.airConnections();
      expect(connection.modemTls).to.equal(true);
      expect(connection.up.payloadBytes).to.equal(finished[0].read);
      expect(connection.down.payloadBytes).to.equal(finished[0].written);
      for (const direction of [connection.up, connection.down]) {
        expect(direction.handshake + direction.application + direction.alert).to.equal(
          direction.payloadBytes,
        );
        // a full handshake carries a certificate down and key exchange up: far more than "hello"
        expect(direction.handshake).to.be.greaterThan(direction.application);
        // "hello" in one record: 5 bytes of header, 5 of data, and the cipher's own overhead
        expect(direction.application).to.be.greaterThan(10);
      }
      expect(connection.down.handshake).to.be.greaterThan(500);
    } finally {
      await server.close();
    }
  });

  it('a UDP socket: one datagram each way, 28 header bytes each', async () => {
    const echo = await startUdpEcho();
    try {
      expect(await h.at.command(`AT+QIOPEN=1,2,"UDP","127.0.0.1",${echo.port},0,0`)).to.equal('\r\nOK\r\n');
      await h.at.until('+QIOPEN: 2,0\r\n');
      expect(await h.at.sendData('AT+QISEND=2,4', 'ping')).to.equal('\r\nSEND OK\r\n');
      await h.at.until('+QIURC: "recv",2\r\n');
      const [connection] = h.modem.airConnections();
      expect(connection.protocol).to.equal('udp');
      expect({ up: connection.up.packets, down: connection.down.packets }).to.deep.equal({ up: 1, down: 1 });
      expect(connection.up.headerBytes).to.equal(IPV4_HEADER_BYTES + UDP_HEADER_BYTES);
      expect(connection.up.payloadBytes + connection.down.payloadBytes).to.equal(8);
    } finally {
      await echo.close();
    }
  });
});
