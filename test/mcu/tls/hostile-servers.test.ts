// Bad input (issue 3): servers that send garbage, truncate a record and close, reset mid-handshake or
// never answer, and certificates and keys that do not parse. Each ends in a clear code within its timeout,
// never a crash or a hang: AUTH_FAILURE during the handshake, DEVICE_ERROR (or 0 for an end) after it,
// IN_PROGRESS / WOULD_BLOCK when the peer is silent, PARAMETER with nothing changed for bad PEM/DER.
// The servers are met both by TLSSocketWrapper over a scripted transport and by the TLSSocket on the
// device, whose bytes cross the simulated BG96.
import net from 'node:net';
import { expect } from 'chai';
import type { Lab } from '../../../lab/servers/lab.ts';
import { cStringOf } from '../../../mcu/tls/pem-length.ts';
import { MbedtlsTLSSocket } from '../../../mcu/tls/tls-socket-mbedtls.ts';
import type { TLSSocketWrapper } from '../../../mcu/tls/tls-socket-wrapper.ts';
import {
  NSAPI_ERROR_AUTH_FAILURE,
  NSAPI_ERROR_DEVICE_ERROR,
  NSAPI_ERROR_IN_PROGRESS,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_PARAMETER,
  NSAPI_ERROR_WOULD_BLOCK,
} from '../../../shared/nsapi.ts';
import { SocketAddress } from '../../../shared/socket-address.ts';
import { type Device, startDevice } from './device-fixture.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';
import { recordsOf } from './tls-records.ts';
import { expectEcho, labAddress, useLab, useWrappers, withinMs } from './wrapper-fixture.ts';

/**
 * A raw TCP server on loopback that does `behave` with each connection; destroys them all on close. It
 * reads (and drops) what the client sends, so the client's FIN is seen and answered: a peer that never
 * reads would hold the modem's AT+QICLOSE for its full 10 s timeout, as on a real BG96.
 */
async function rawServer(behave: (socket: net.Socket) => void) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {}); // a client that gives up is no failure of the server's
    socket.resume();
    behave(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: new SocketAddress('127.0.0.1', (server.address() as net.AddressInfo).port),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

type RawServer = Awaited<ReturnType<typeof rawServer>>;

/** Deterministic noise (no TLS record type byte in front, so no parser can mistake it for a record). */
function garbage(size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 131 + 7) & 0xff;
  out[0] = 0x7f;
  return out;
}

const HOSTILE_SERVERS: Array<{ name: string; behave: (socket: net.Socket) => void }> = [
  { name: 'sends 2 KB of garbage and keeps the connection', behave: (s) => s.write(garbage(2048)) },
  {
    name: 'answers in plain HTTP and closes',
    behave: (s) => s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'),
  },
  {
    name: 'announces a 65535-byte handshake record (over the limit) and stops',
    behave: (s) => s.write(Buffer.from([0x16, 0x03, 0x03, 0xff, 0xff, 0x02])),
  },
  {
    name: 'sends a fatal handshake_failure alert',
    behave: (s) => s.end(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28])),
  },
  { name: 'closes at once (EOF before any byte)', behave: (s) => s.end() },
  { name: 'resets on the ClientHello', behave: (s) => s.once('data', () => s.resetAndDestroy()) },
];

/** What a test needs from either kind of client. */
interface Client {
  socket: TLSSocketWrapper;
  connect(address: SocketAddress): Promise<number>;
}

describe('Bad input: hostile servers and unparsable certificates', function () {
  this.timeout(10_000);
  const lab = useLab(['tls-echo', 'tls-mtls-echo']);
  const wrap = useWrappers(lab);

  /**
   * `silenceMs` is the socket timeout for the silent-peer cases. Before the handshake it also bounds each
   * wait of the transport's TCP connect, so the device (an AT exchange per step) gets more slack.
   */
  const clients: Array<{ kind: string; silenceMs: number; make: (lab: Lab) => Promise<Client> }> = [];
  let device: Device | undefined;
  const deviceSockets: MbedtlsTLSSocket[] = [];
  clients.push({
    kind: 'TLSSocketWrapper over a scripted transport',
    silenceMs: 100,
    make: async () => {
      const { wrapper } = wrap();
      return { socket: wrapper, connect: (address) => wrapper.connect(address) };
    },
  });
  clients.push({
    kind: 'TLSSocket on the device (through the simulated BG96)',
    silenceMs: 300,
    make: async (theLab) => {
      device ??= await startDevice(theLab);
      const socket = new MbedtlsTLSSocket();
      deviceSockets.push(socket);
      expect(socket.open(device.net)).to.equal(NSAPI_ERROR_OK);
      expect(socket.set_root_ca_cert(theLab.pki.caPem)).to.equal(NSAPI_ERROR_OK);
      socket.set_hostname(theLab.server('tls-echo').host);
      return { socket, connect: (address) => socket.connect(address) };
    },
  });
  afterEach(async () => {
    for (const socket of deviceSockets.splice(0)) await withinMs(socket.destroy(), 5000, 'socket.destroy()');
  });
  after(async () => {
    await device?.close();
  });

  for (const { kind, silenceMs, make } of clients) {
    describe(kind, () => {
      for (const { name, behave } of HOSTILE_SERVERS) {
        describe(`a server that ${name}`, () => {
          let server: RawServer;
          before(async () => {
            server = await rawServer(behave);
          });
          after(() => server.close());

          it('→ AUTH_FAILURE, and again on the next call; close is OK', async () => {
            const client = await make(lab());
            expect(await client.connect(server.address)).to.equal(NSAPI_ERROR_AUTH_FAILURE);
            expect(await client.connect(server.address)).to.equal(NSAPI_ERROR_AUTH_FAILURE);
            expect(await client.socket.send(Buffer.from('x'))).to.equal(NSAPI_ERROR_AUTH_FAILURE);
            expect(await client.socket.close()).to.equal(NSAPI_ERROR_OK);
          });
        });
      }

      describe('a real server behind a proxy that spoils its stream', () => {
        let proxy: TcpProxy;
        beforeEach(async () => {
          proxy = await startTcpProxy(lab().server('tls-echo').port);
        });
        afterEach(() => proxy.close());
        const viaProxy = () => new SocketAddress('127.0.0.1', proxy.port);

        it('truncates a handshake record and closes → AUTH_FAILURE', async () => {
          const client = await make(lab());
          const connecting = client.connect(viaProxy());
          (await proxy.nextLink()).cutAfter(100, 'end');
          expect(await connecting).to.equal(NSAPI_ERROR_AUTH_FAILURE);
          const forwarded = recordsOf(proxy.links[0].toClient);
          expect(forwarded.at(-1)?.complete, 'the cut fell inside a record').to.equal(false);
        });

        it('resets mid-handshake → AUTH_FAILURE', async () => {
          const client = await make(lab());
          const connecting = client.connect(viaProxy());
          (await proxy.nextLink()).cutAfter(700, 'reset');
          expect(await connecting).to.equal(NSAPI_ERROR_AUTH_FAILURE);
        });

        it(`goes silent mid-handshake, with set_timeout(${silenceMs}) → IN_PROGRESS, then WOULD_BLOCK; close does not hang`, async () => {
          const client = await make(lab());
          client.socket.set_timeout(silenceMs);
          const connecting = client.connect(viaProxy());
          (await proxy.nextLink()).cutAfter(150, 'hold');
          expect(await connecting).to.equal(NSAPI_ERROR_IN_PROGRESS);
          expect(await client.socket.recv(new Uint8Array(4))).to.equal(NSAPI_ERROR_WOULD_BLOCK);
          expect(await client.socket.send(Buffer.from('x'))).to.equal(NSAPI_ERROR_WOULD_BLOCK);
          expect(await withinMs(client.socket.close(), 5000, 'close')).to.equal(NSAPI_ERROR_OK);
        });

        it('injects garbage after the handshake → recv DEVICE_ERROR', async () => {
          const client = await make(lab());
          expect(await client.connect(viaProxy())).to.equal(NSAPI_ERROR_OK);
          await expectEcho(client.socket, Buffer.from('fine so far'));
          proxy.links[0].inject(garbage(64));
          expect(await client.socket.recv(new Uint8Array(16))).to.equal(NSAPI_ERROR_DEVICE_ERROR);
        });

        it('truncates a data record and closes → recv 0 (Mbed TLS 2.x reads a cut connection as its end)', async () => {
          const client = await make(lab());
          expect(await client.connect(viaProxy())).to.equal(NSAPI_ERROR_OK);
          await expectEcho(client.socket, Buffer.from('fine so far'));
          const link = proxy.links[0];
          const before = link.toClient.length;
          link.cutAfter(20, 'end');
          expect(await client.socket.send(Buffer.from('this record will arrive cut short'))).to.equal(33);
          expect(await client.socket.recv(new Uint8Array(64))).to.equal(0);
          expect(recordsOf(link.toClient).at(-1)?.complete).to.equal(false);
          expect(link.toClient.length).to.be.greaterThan(before);
        });
      });

      it(`a server that never answers, with set_timeout(${silenceMs}) → IN_PROGRESS, WOULD_BLOCK; close does not hang`, async () => {
        const silent = await rawServer(() => {});
        try {
          const client = await make(lab());
          client.socket.set_timeout(silenceMs);
          expect(await client.connect(silent.address)).to.equal(NSAPI_ERROR_IN_PROGRESS);
          expect(await client.socket.recv(new Uint8Array(4))).to.equal(NSAPI_ERROR_WOULD_BLOCK);
          expect(await withinMs(client.socket.close(), 5000, 'close')).to.equal(NSAPI_ERROR_OK);
        } finally {
          await silent.close();
        }
      });
    });
  }

  describe('certificates and keys that do not parse → PARAMETER, nothing changed', () => {
    const truncate = (pem: string) => pem.slice(0, Math.floor(pem.length / 2));
    const corruptBase64 = (pem: string) => pem.replace(/\n([A-Za-z0-9+/]{10})/, '\n**********');

    it('set_root_ca_cert: every bad form leaves the chain as it was, and it still verifies', async () => {
      const { wrapper } = wrap();
      const chain = wrapper.get_ca_chain();
      const { caPem, intermediatePem, clientKeyPem } = lab().pki;
      const der = new (await import('node:crypto')).X509Certificate(caPem).raw;
      const bad: Array<[string, string | Uint8Array]> = [
        ['empty string', ''],
        ['empty bytes', new Uint8Array(0)],
        ['PEM cut in half', truncate(caPem)],
        ['PEM with broken base64', corruptBase64(caPem)],
        ['a private key', clientKeyPem],
        ['a good PEM behind a NUL (strlen stops at the NUL)', `garbage\0${caPem}`],
        ['a bundle whose second certificate is broken', caPem + corruptBase64(intermediatePem)],
        ['DER cut short', der.subarray(0, der.length - 10)],
        [
          'DER with a wrong outer length',
          Buffer.concat([Buffer.from([0x30, 0x82, 0xff, 0xff]), der.subarray(4)]),
        ],
        ['PEM bytes without the NUL', Buffer.from(caPem)],
      ];
      for (const [what, input] of bad) {
        expect(wrapper.set_root_ca_cert(input), what).to.equal(NSAPI_ERROR_PARAMETER);
        expect(wrapper.get_ca_chain(), what).to.equal(chain);
      }
      expect(await wrapper.connect(labAddress(lab(), 'tls-echo'))).to.equal(NSAPI_ERROR_OK);
    });

    it('set_client_cert_key: every bad form leaves the pair as it was, and the server still accepts it', async () => {
      const { wrapper } = wrap({ hostname: lab().server('tls-mtls-echo').host });
      const { clientCertPem, clientKeyPem } = lab().pki;
      expect(wrapper.set_client_cert_key(clientCertPem, clientKeyPem)).to.equal(NSAPI_ERROR_OK);
      const own = wrapper.get_own_cert();
      const crypto = await import('node:crypto');
      const encryptedKey = crypto
        .createPrivateKey(clientKeyPem)
        .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'secret' })
        .toString();
      const keyDer = crypto.createPrivateKey(clientKeyPem).export({ type: 'pkcs8', format: 'der' });
      const bad: Array<[string, string, string | Uint8Array]> = [
        ['certificate cut in half', truncate(clientCertPem), clientKeyPem],
        ['certificate with broken base64', corruptBase64(clientCertPem), clientKeyPem],
        ['key cut in half', clientCertPem, truncate(clientKeyPem)],
        ['key with broken base64', clientCertPem, corruptBase64(clientKeyPem)],
        ['key that needs a password', clientCertPem, encryptedKey],
        ['empty key', clientCertPem, ''],
      ];
      for (const [what, cert, key] of bad) {
        expect(wrapper.set_client_cert_key(cert, key), what).to.equal(NSAPI_ERROR_PARAMETER);
        expect(wrapper.get_own_cert(), what).to.equal(own);
      }
      const cert = cStringOf(clientCertPem);
      const shortDer = keyDer.subarray(0, keyDer.length - 8);
      expect(
        wrapper.set_client_cert_key(cert, cert.length, shortDer, shortDer.length),
        'DER key cut short',
      ).to.equal(NSAPI_ERROR_PARAMETER);
      expect(wrapper.get_own_cert()).to.equal(own);
      expect(await wrapper.connect(labAddress(lab(), 'tls-mtls-echo'))).to.equal(NSAPI_ERROR_OK);
      await expectEcho(wrapper, Buffer.from('still me'));
    });
  });
});
