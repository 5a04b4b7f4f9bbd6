// Bad input never crashes the process: invalid PEM/DER and keys give negative codes, wrong argument types
// throw TypeError/RangeError, misuse gives BAD_INPUT_DATA, and a callback that throws or answers
// nonsense hands Mbed TLS an error code while its exception comes back out of the binding method.
import { execFileSync } from 'node:child_process';
import v8 from 'node:v8';
import vm from 'node:vm';
import { expect } from 'chai';
import {
  type BioRecv,
  type BioSend,
  CtrDrbg,
  cString,
  loadMbedtlsAddon,
  MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED,
  MBEDTLS_ERR_PK_PASSWORD_MISMATCH,
  MBEDTLS_ERR_PK_PASSWORD_REQUIRED,
  MBEDTLS_ERR_SSL_BAD_INPUT_DATA,
  MBEDTLS_ERR_SSL_NO_RNG,
  MBEDTLS_ERR_SSL_WANT_READ,
  MBEDTLS_ERR_X509_CERT_VERIFY_FAILED,
  MBEDTLS_SSL_IS_CLIENT,
  MBEDTLS_SSL_TRANSPORT_DATAGRAM,
  MBEDTLS_SSL_TRANSPORT_STREAM,
  mbedtlsDebugSetThreshold,
  PkContext,
  SslConfig,
  SslContext,
  X509Crt,
} from '../../../../mcu/tls/mbedtls/index.ts';
import { clientConfig, serverConfig } from './helpers/endpoints.ts';
import { makeOpensslPki, type OpensslPki, SERVER_NAME } from './helpers/openssl-pki.ts';

const wantRead = () => MBEDTLS_ERR_SSL_WANT_READ;

/** One direction of an in-memory byte stream. */
class StreamQueue {
  private pending = Buffer.alloc(0);

  send = (data: Uint8Array): number => {
    this.pending = Buffer.concat([this.pending, data]);
    return data.length;
  };

  recv = (maxLength: number): Uint8Array | number => {
    if (this.pending.length === 0) return MBEDTLS_ERR_SSL_WANT_READ;
    const chunk = this.pending.subarray(0, maxLength);
    this.pending = this.pending.subarray(chunk.length);
    return chunk;
  };
}

function forceGc(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** A client context that is set up and whose first handshake call will call `send`. */
function clientWith(pki: OpensslPki, send: BioSend, recv: BioRecv = wantRead): SslContext {
  const ctx = new SslContext();
  expect(ctx.setup(clientConfig(pki))).to.equal(0);
  ctx.setBio(send, recv);
  return ctx;
}

describe('Mbed TLS binding: bad input', () => {
  let pki: OpensslPki;

  before(() => {
    pki = makeOpensslPki();
    execFileSync(
      'openssl',
      ['pkey', '-in', 'client.key', '-des3', '-passout', 'pass:secret', '-out', 'client-encrypted.key'],
      {
        cwd: pki.dir,
      },
    );
  });

  after(() => pki.dispose());

  describe('certificates and keys', () => {
    it('parses PEM only with its NUL terminator counted, and DER as is', () => {
      const pem = pki.pem('ca.pem');
      const withoutNul = new X509Crt();
      expect(withoutNul.parse(Buffer.from(pem))).to.be.lessThan(0);
      expect(withoutNul.count()).to.equal(0);
      const withNul = new X509Crt();
      expect(withNul.parse(cString(pem))).to.equal(0);
      expect(withNul.count()).to.equal(1);
      expect(withNul.info()).to.include('CN=tlssim test CA');
      const der = new X509Crt();
      expect(der.parse(pki.der('ca.pem'))).to.equal(0);
      expect(der.count()).to.equal(1);
      // Parsing appends: a chain of two.
      expect(der.parse(pki.der('server-rsa.pem'))).to.equal(0);
      expect(der.count()).to.equal(2);
    });

    it('answers garbage, truncated and empty certificates with negative codes', () => {
      const der = pki.der('ca.pem');
      for (const bytes of [
        Buffer.from('not a certificate'),
        cString('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
        der.subarray(0, der.length - 20),
        new Uint8Array(0),
        new Uint8Array([0]),
      ]) {
        const crt = new X509Crt();
        expect(crt.parse(bytes)).to.be.lessThan(0);
        expect(crt.count()).to.equal(0);
      }
    });

    it('counts the failed certificates of a PEM bundle with a bad one (raw positive result)', () => {
      const bundle = `${pki.pem('ca.pem')}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`;
      const crt = new X509Crt();
      expect(crt.parse(cString(bundle))).to.equal(1);
      expect(crt.count()).to.equal(1);
    });

    it('parses keys, with and without a password, and leaves no key after a failure', () => {
      const key = new PkContext();
      expect(key.parseKey(cString(pki.pem('server-rsa.key')))).to.equal(0);
      expect(key.name()).to.equal('RSA');
      expect(key.parseKey(Buffer.from('garbage'))).to.be.lessThan(0);
      expect(key.name()).to.equal('invalid PK');
      const encrypted = cString(pki.pem('client-encrypted.key'));
      expect(key.parseKey(encrypted)).to.equal(MBEDTLS_ERR_PK_PASSWORD_REQUIRED);
      // A wrong password decrypts to noise: usually caught as a padding mismatch, but when the noise
      // happens to end in valid padding the ASN.1 parse fails instead (-0x3D00 family). Either way: refused.
      const wrong = key.parseKey(encrypted, 'wrong');
      expect(
        wrong === MBEDTLS_ERR_PK_PASSWORD_MISMATCH || (wrong <= -0x3d00 && wrong > -0x3e00),
        `got -0x${(-wrong).toString(16)}`,
      ).to.equal(true);
      expect(key.name()).to.equal('invalid PK');
      expect(key.parseKey(encrypted, 'secret')).to.equal(0);
      expect(key.name()).to.equal('EC');
      expect(key.parseKey(encrypted, Buffer.from('secret'))).to.equal(0);
      expect(key.parseKey(new Uint8Array(0))).to.be.lessThan(0);
    });

    it('fails verification (no crash) when the CA chain is an empty X509Crt', () => {
      const config = clientConfig(pki, { ca: null });
      config.setCaChain(new X509Crt());
      const client = new SslContext();
      client.setup(config);
      client.setHostname(SERVER_NAME);
      const server = new SslContext();
      server.setup(serverConfig(pki));
      const toServer = new StreamQueue();
      const toClient = new StreamQueue();
      client.setBio(toServer.send, toClient.recv);
      server.setBio(toClient.send, toServer.recv);
      let ret = MBEDTLS_ERR_SSL_WANT_READ;
      for (let i = 0; i < 50 && ret === MBEDTLS_ERR_SSL_WANT_READ; i++) {
        ret = client.handshake();
        server.handshake();
      }
      expect(ret).to.equal(MBEDTLS_ERR_X509_CERT_VERIFY_FAILED);
    });
  });

  describe('wrong argument types', () => {
    const addon = () => loadMbedtlsAddon();

    it('throws TypeError or RangeError from every kind of method', () => {
      const config = new SslConfig();
      const ctx = new SslContext();
      const crt = new X509Crt();
      const throwsType = (f: () => unknown) => expect(f).to.throw(TypeError);
      const throwsRange = (f: () => unknown) => expect(f).to.throw(RangeError);
      throwsType(() => crt.parse('PEM text' as unknown as Uint8Array));
      throwsType(() => crt.parse(new Uint16Array(4) as unknown as Uint8Array));
      throwsType(() => new PkContext().parseKey(null as unknown as Uint8Array));
      throwsType(() => new PkContext().parseKey(new Uint8Array(1), 42 as unknown as string));
      throwsType(() => new CtrDrbg().seed('x' as unknown as Uint8Array));
      throwsType(() => config.defaults('client' as unknown as number, 0));
      throwsRange(() => config.defaults(2, 0));
      throwsRange(() => config.defaults(0, 0.5));
      throwsRange(() => config.setAuthmode(3));
      throwsRange(() => config.setHandshakeTimeout(-1, 100));
      throwsType(() => config.setCaChain({} as X509Crt));
      throwsType(() => config.setOwnCert(crt, crt as unknown as PkContext));
      throwsType(() => config.setRng(config as unknown as CtrDrbg));
      throwsType(() =>
        config.setCiphersuites('TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256' as unknown as string[]),
      );
      throwsRange(() => config.setCiphersuites([1.5]));
      throwsType(() => config.setCiphersuites([{}] as unknown as string[]));
      throwsType(() => config.setDebug('log' as unknown as null));
      throwsType(() => config.setDtlsAntiReplay(1 as unknown as boolean));
      throwsType(() => ctx.setup({} as SslConfig));
      throwsType(() => ctx.setHostname(42 as unknown as string));
      throwsType(() => ctx.setHostname('evil\0.example'));
      throwsType(() => ctx.setBio('send' as unknown as null, null));
      throwsType(() => ctx.setTimer(() => undefined, null));
      throwsType(() => ctx.read('buffer' as unknown as Uint8Array));
      throwsType(() => ctx.write([1, 2, 3] as unknown as Uint8Array));
      throwsType(() => ctx.setClientTransportId(undefined as unknown as Uint8Array));
      throwsType(() => addon().strerror('x' as unknown as number));
      throwsRange(() => addon().strerror(Number.NaN));
      throwsRange(() => addon().debugSetThreshold(9));
    });

    it('rejects native objects of the wrong class, wrong `this` and calls without new', () => {
      const { SslConfig: NativeConfig, SslContext: NativeContext, X509Crt: NativeCrt } = addon();
      const nativeCrt = new NativeCrt();
      expect(() => new NativeContext().setup(nativeCrt as never)).to.throw(TypeError, 'must be a SslConfig');
      expect(() => new NativeConfig().setCaChain(Object.create(NativeCrt.prototype))).to.throw(TypeError);
      expect(() => NativeConfig.prototype.defaults.call(nativeCrt as never, 0, 0)).to.throw(TypeError);
      expect(() => (NativeConfig as unknown as () => void)()).to.throw(TypeError);
      // The tag survives prototype tricks: an X509Crt dressed as an SslConfig is still refused.
      Object.setPrototypeOf(nativeCrt, NativeConfig.prototype);
      expect(() => new NativeContext().setup(nativeCrt as never)).to.throw(TypeError);
    });
  });

  describe('misuse', () => {
    it('answers BAD_INPUT_DATA for calls before setup, setup twice, and setup without defaults', () => {
      const ctx = new SslContext();
      expect(ctx.handshake()).to.equal(MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
      expect(ctx.read(new Uint8Array(8))).to.equal(MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
      expect(ctx.write(new Uint8Array(8))).to.equal(MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
      expect(ctx.closeNotify()).to.equal(MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
      expect(ctx.sessionReset()).to.equal(MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
      expect(ctx.setClientTransportId(new Uint8Array(4))).to.equal(MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
      expect(ctx.getMaxOutRecordPayload()).to.equal(MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
      expect(ctx.getVersion()).to.equal('unknown');
      expect(ctx.getCiphersuite()).to.equal(null);
      expect(ctx.getPeerCert()).to.equal(null);
      expect(ctx.getVerifyResult()).to.equal(0xffffffff);
      expect(ctx.setup(new SslConfig())).to.equal(MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
      const config = new SslConfig();
      expect(config.defaults(MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM)).to.equal(0);
      expect(ctx.setup(config)).to.equal(0);
      expect(ctx.setup(config)).to.equal(MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
      expect(ctx.handshake()).to.equal(MBEDTLS_ERR_SSL_BAD_INPUT_DATA); // no BIO
      expect(ctx.setClientTransportId(new Uint8Array(4))).to.equal(MBEDTLS_ERR_SSL_BAD_INPUT_DATA); // client
      expect(config.setCiphersuites(['NO-SUCH-SUITE'])).to.equal(MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
      expect(config.setMaxFragLen(7)).to.equal(MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
    });

    it('answers an error code, not a crash, without an RNG or with an unseeded one', () => {
      for (const [rng, expected] of [
        [null, MBEDTLS_ERR_SSL_NO_RNG],
        [new CtrDrbg(), MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED],
      ] as const) {
        const config = new SslConfig();
        config.defaults(MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM);
        config.setRng(rng);
        const ctx = new SslContext();
        ctx.setup(config);
        ctx.setBio((data) => data.length, wantRead);
        expect(ctx.handshake()).to.equal(expected);
      }
    });

    it('answers BAD_INPUT_DATA for a DTLS handshake without timer callbacks', () => {
      const ctx = new SslContext();
      ctx.setup(clientConfig(pki, { transport: MBEDTLS_SSL_TRANSPORT_DATAGRAM }));
      ctx.setBio((data) => data.length, wantRead);
      expect(ctx.handshake()).to.equal(MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
    });
  });

  describe('callbacks that throw or misbehave', () => {
    afterEach(() => mbedtlsDebugSetThreshold(0));

    it('rethrows the exception of a throwing send after Mbed TLS got an error code for it', () => {
      const config = clientConfig(pki);
      const lines: string[] = [];
      config.setDebug((_level, _file, _line, message) => lines.push(message));
      mbedtlsDebugSetThreshold(1);
      const ctx = new SslContext();
      ctx.setup(config);
      const failure = new Error('transport exploded');
      ctx.setBio(() => {
        throw failure;
      }, wantRead);
      expect(() => ctx.handshake()).to.throw(failure);
      // Mbed TLS itself saw MBEDTLS_ERR_SSL_INTERNAL_ERROR (-0x6C00) from the BIO, and said so.
      expect(lines.join('')).to.include('returned -27648 (-0x6c00)');
      // The context is still usable: with a working BIO the handshake goes on.
      ctx.setBio((data) => data.length, wantRead);
      expect(ctx.handshake()).to.equal(MBEDTLS_ERR_SSL_WANT_READ);
    });

    it('rethrows a thrown primitive unchanged', () => {
      const ctx = clientWith(pki, () => {
        throw 42;
      });
      let caught: unknown;
      try {
        ctx.handshake();
      } catch (error) {
        caught = error;
      }
      expect(caught).to.equal(42);
    });

    it('rethrows from handshake when recv throws', () => {
      const ctx = clientWith(
        pki,
        (data) => data.length,
        () => {
          throw new RangeError('recv failed');
        },
      );
      expect(() => ctx.handshake()).to.throw(RangeError, 'recv failed');
    });

    it('turns nonsense answers from callbacks into TypeError/RangeError', () => {
      expect(() => clientWith(pki, () => 'all of it' as unknown as number).handshake()).to.throw(TypeError);
      expect(() => clientWith(pki, (data) => data.length + 1).handshake()).to.throw(TypeError);
      expect(() =>
        clientWith(
          pki,
          (data) => data.length,
          () => new Uint8Array(1_000_000),
        ).handshake(),
      ).to.throw(RangeError, 'more bytes than the maxLength');
      expect(() =>
        clientWith(
          pki,
          (data) => data.length,
          () => 5,
        ).handshake(),
      ).to.throw(TypeError);
      expect(() =>
        clientWith(
          pki,
          (data) => data.length,
          () => ({}) as unknown as number,
        ).handshake(),
      ).to.throw(TypeError);
    });

    it('rethrows from a throwing or nonsensical timer callback', () => {
      const ctx = new SslContext();
      ctx.setup(clientConfig(pki, { transport: MBEDTLS_SSL_TRANSPORT_DATAGRAM }));
      ctx.setBio((data) => data.length, wantRead);
      ctx.setTimer(
        () => {
          throw new Error('no clock');
        },
        () => 0,
      );
      expect(() => ctx.handshake()).to.throw('no clock');
      const other = new SslContext();
      other.setup(clientConfig(pki, { transport: MBEDTLS_SSL_TRANSPORT_DATAGRAM }));
      other.setBio((data) => data.length, wantRead);
      other.setTimer(
        () => undefined,
        () => 7,
      );
      expect(() => other.handshake()).to.throw(TypeError, 'getDelay');
    });

    it('rethrows from a throwing debug callback', () => {
      const config = clientConfig(pki);
      config.setDebug(() => {
        throw new Error('logger broke');
      });
      mbedtlsDebugSetThreshold(4);
      const ctx = new SslContext();
      ctx.setup(config);
      ctx.setBio((data) => data.length, wantRead);
      expect(() => ctx.handshake()).to.throw('logger broke');
    });

    it('refuses re-entrant calls from inside a callback', () => {
      let inner: unknown;
      const ctx: SslContext = clientWith(pki, () => {
        try {
          ctx.handshake();
        } catch (error) {
          inner = error;
        }
        return MBEDTLS_ERR_SSL_WANT_READ;
      });
      expect(ctx.handshake()).to.equal(MBEDTLS_ERR_SSL_WANT_READ);
      expect(String(inner)).to.include('cannot be called from inside an Mbed TLS callback');
      // Uncaught inside the callback, the refusal comes out of the outer call.
      const config = new SslConfig();
      const other: SslContext = clientWith(pki, () => {
        config.free();
        return 0;
      });
      expect(() => other.handshake()).to.throw(
        'SslConfig.free cannot be called from inside an Mbed TLS callback',
      );
    });

    it('collects abandoned contexts mid-handshake without calling JS from their finalizers', async () => {
      let debugCallsAfterAbandon = 0;
      let abandoned = false;
      let collected = 0;
      const registry = new FinalizationRegistry(() => collected++);
      const abandon = () => {
        const config = clientConfig(pki);
        config.setDebug(() => {
          if (abandoned) debugCallsAfterAbandon++;
        });
        for (let i = 0; i < 20; i++) {
          const ctx = new SslContext();
          registry.register(ctx.native, i);
          ctx.setup(config);
          ctx.setBio((data) => data.length, wantRead);
          expect(ctx.handshake()).to.equal(MBEDTLS_ERR_SSL_WANT_READ);
        }
      };
      mbedtlsDebugSetThreshold(4); // mbedtls_ssl_free prints "=> free" at level 2
      abandon();
      abandoned = true;
      // Collect while another context is inside Mbed TLS (its send callback runs the GC). Node 20 runs
      // the finalizers on a later turn; a runtime that ran them here must not reach JS either.
      const active = clientWith(pki, (data) => {
        forceGc();
        return data.length;
      });
      expect(active.handshake()).to.equal(MBEDTLS_ERR_SSL_WANT_READ);
      for (let round = 0; round < 20 && collected < 20; round++) {
        forceGc();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(collected).to.equal(20);
      expect(debugCallsAfterAbandon).to.equal(0);
    });
  });
});
