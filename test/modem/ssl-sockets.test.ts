import { createServer, type Server, type Socket } from 'node:net';
import { expect } from 'chai';
import { type ModemHarness, startModem, waitForLog } from './helpers/modem-harness.ts';
import { generateTestPki, SERVER_NAME, type TestPki } from './helpers/test-pki.ts';
import { startTlsEcho, type TlsTestServer } from './helpers/tls-test-server.ts';

describe('modem QSSL sockets (real TLS)', () => {
  let pki: TestPki;
  let h: ModemHarness;
  let server: TlsTestServer;
  const servers: TlsTestServer[] = [];

  before(() => {
    pki = generateTestPki();
  });
  beforeEach(async () => {
    h = await startModem({ sendDataTimeoutMs: 100 }, true);
    server = await tlsServer(pki.server);
  });
  afterEach(async () => {
    await h.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function tlsServer(
    credential: { cert: string; key: string },
    extra: Parameters<typeof startTlsEcho>[0] = {},
    greeting?: string,
  ) {
    const started = await startTlsEcho({ cert: credential.cert, key: credential.key, ...extra }, greeting);
    servers.push(started);
    return started;
  }

  async function upload(name: string, text: string): Promise<void> {
    h.at.write(`AT+QFDEL="${name}"\r`);
    await h.at.until(/\r\n(OK|\+CME ERROR: 405)\r\n/);
    h.at.write(`AT+QFUPL="${name}",${Buffer.byteLength(text, 'latin1')}\r`);
    await h.at.until('\r\nCONNECT\r\n');
    h.at.write(text);
    await h.at.until(/\+QFUPL: \d+,[0-9a-f]+\r\n\r\nOK\r\n/);
  }

  async function configure(...lines: string[]): Promise<void> {
    for (const line of lines) expect(await h.at.command(`AT+QSSLCFG=${line}`), line).to.equal('\r\nOK\r\n');
  }

  /** The Mbed OS set_root_ca_cert + ENABLE sequence (QUECTEL_BG96_CellularStack::setsockopt: the CA upload, then NSAPI_TLSSOCKET_ENABLE). */
  async function trustCa(ca = pki.caCert): Promise<void> {
    await upload('cacert.pem', ca);
    await configure(
      '"cacert",0,"cacert.pem"',
      '"seclevel",0,1',
      '"sslversion",0,4',
      '"ciphersuite",0,0xFFFF',
    );
  }

  /** AT+QSSLOPEN as the Mbed OS driver writes it; returns the `<err>` of +QSSLOPEN. */
  async function open(port: number, id = 0, host = '127.0.0.1', access = 0): Promise<number> {
    expect(await h.at.command(`AT+QSSLOPEN=1,0,${id},"${host}",${port},${access}`)).to.equal('\r\nOK\r\n');
    const urc = await h.at.until(new RegExp(`\\r\\n\\+QSSLOPEN: ${id},(-?\\d+)\\r\\n`));
    return Number(/,(-?\d+)\r\n$/.exec(urc)?.[1]);
  }

  it('runs the reference transcript: upload CA, checkhost, open, send, recv, state, close', async () => {
    await trustCa();
    await configure(`"checkhost",0,"${SERVER_NAME}"`);
    expect(await open(server.port)).to.equal(0);
    expect(server.clients[0].protocol).to.equal('TLSv1.2');
    h.at.write('AT+QSSLSEND=0,5\r');
    expect(await h.at.until('> ')).to.equal('\r\n> ');
    h.at.write('hello');
    expect(await h.at.until('SEND OK\r\n')).to.equal('\r\nSEND OK\r\n');
    expect(await h.at.until('+QSSLURC: "recv",0\r\n')).to.equal('\r\n+QSSLURC: "recv",0\r\n');
    expect(await h.at.command('AT+QSSLRECV=0,100')).to.equal('\r\n+QSSLRECV: 5\r\nhello\r\n\r\nOK\r\n');
    expect(await h.at.command('AT+QSSLRECV=0,100')).to.equal('\r\n+QSSLRECV: 0\r\n\r\nOK\r\n');
    expect(await h.at.command('AT+QSSLSTATE=0')).to.match(
      new RegExp(
        `^\\r\\n\\+QSSLSTATE: 0,"SSLClient","127\\.0\\.0\\.1",${server.port},\\d+,2,1,0,0,"uart1",0\\r\\n\\r\\nOK\\r\\n$`,
      ),
    );
    expect(await h.at.command('AT+QSSLCLOSE=0')).to.equal('\r\nOK\r\n');
    expect(await h.at.command('AT+QSSLCFG="seclevel",0,0')).to.equal('\r\nOK\r\n');
    expect(await h.at.command('AT+QSSLSTATE')).to.equal('\r\nOK\r\n');
  });

  it('carries plaintext through real TLS: the server receives exactly what QSSLSEND sent', async () => {
    await trustCa();
    expect(await open(server.port)).to.equal(0);
    const received: Buffer[] = [];
    server.clients[0].socket.on('data', (chunk: Buffer) => received.push(chunk));
    const payload = Buffer.from(Array.from({ length: 1460 }, (_, i) => i % 256));
    expect(await h.at.sendData('AT+QSSLSEND=0,1460', payload)).to.equal('\r\nSEND OK\r\n');
    while (Buffer.concat(received).length < 1460) await new Promise((resolve) => setTimeout(resolve, 2));
    expect(Buffer.concat(received)).to.deep.equal(payload);
  });

  it('presents the client certificate at seclevel 2 to a server that requires one', async () => {
    const mtls = await tlsServer(pki.server, { requestCert: true, rejectUnauthorized: true, ca: pki.caCert });
    await trustCa();
    expect(await open(mtls.port, 1)).to.equal(567);
    await upload('clcert.pem', pki.client.cert);
    await upload('client.key', pki.client.key);
    await configure('"clientcert",0,"clcert.pem"', '"clientkey",0,"client.key"', '"seclevel",0,2');
    expect(await open(mtls.port, 1)).to.equal(0);
    expect(mtls.clients.at(-1)?.clientCertificate).to.equal(true);
    expect(await h.at.sendData('AT+QSSLSEND=1,2', 'hi')).to.equal('\r\nSEND OK\r\n');
    await h.at.until('+QSSLURC: "recv",1\r\n');
    expect(await h.at.command('AT+QSSLRECV=1,10')).to.equal('\r\n+QSSLRECV: 2\r\nhi\r\n\r\nOK\r\n');
  });

  it('refuses servers it cannot verify with 572: untrusted, expired, wrong host', async () => {
    await trustCa();
    const untrusted = await tlsServer(pki.untrustedServer);
    expect(await open(untrusted.port, 0)).to.equal(572);
    expect(h.log.join('\n')).to.contain('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    const expired = await tlsServer(pki.expiredServer);
    expect(await open(expired.port, 1)).to.equal(572);
    expect(h.log.join('\n')).to.contain('CERT_HAS_EXPIRED');
    await configure('"checkhost",0,"wrong.tlssim.test"');
    expect(await open(server.port, 2)).to.equal(572);
    expect(h.log.join('\n')).to.contain('does not match wrong.tlssim.test');
    // checkhost 1 checks the QSSLOPEN address; the certificate carries IP 127.0.0.1.
    await configure('"checkhost",0,1');
    expect(await open(server.port, 3)).to.equal(0);
    expect(await h.at.command('AT+QIGETERROR')).to.contain('+QIGETERROR: 0,');
  });

  it('with ignorelocaltime 1 accepts an expired certificate but still refuses an untrusted one', async () => {
    await trustCa();
    await configure('"ignorelocaltime",0,1');
    const expired = await tlsServer(pki.expiredServer);
    expect(await open(expired.port, 0)).to.equal(0);
    const expiredUntrusted = await tlsServer(pki.expiredUntrustedServer);
    expect(await open(expiredUntrusted.port, 1)).to.equal(572);
  });

  it('refuses weak certificates as Mbed TLS does (RSA-1024, SHA-1), with or without ignorelocaltime', async () => {
    const legacy = { ciphers: 'DEFAULT:@SECLEVEL=0' };
    const rsa1024 = await tlsServer(pki.rsa1024Server, legacy);
    const sha1 = await tlsServer(pki.sha1Server, legacy);
    await trustCa();
    expect(await open(rsa1024.port, 0)).to.equal(572);
    expect(await open(sha1.port, 1)).to.equal(572);
    expect(h.log.join('\n')).to.contain('EE_KEY_TOO_SMALL').and.contain('CA_MD_TOO_WEAK');
    await configure('"ignorelocaltime",0,1');
    expect(await open(rsa1024.port, 0)).to.equal(572);
    expect(await open(sha1.port, 1)).to.equal(572);
    await configure('"seclevel",0,0');
    expect(await open(sha1.port, 1)).to.equal(0);
  });

  it('at seclevel 0 connects without verifying anything', async () => {
    const untrusted = await tlsServer(pki.untrustedServer);
    expect(await open(untrusted.port)).to.equal(0);
  });

  it('fails the open with 552 when a credential file is missing, unparsable or mismatched', async () => {
    await configure('"cacert",0,"cacert.pem"', '"seclevel",0,1');
    expect(await open(server.port, 0)).to.equal(552);
    expect(h.log.join('\n')).to.contain('"cacert.pem" not found in UFS');
    await upload('cacert.pem', 'this is not a certificate');
    expect(await open(server.port, 0)).to.equal(552);
    await upload('cacert.pem', pki.caCert);
    await upload('clcert.pem', pki.client.cert);
    await upload('client.key', pki.server.key);
    await configure('"clientcert",0,"clcert.pem"', '"clientkey",0,"client.key"', '"seclevel",0,2');
    expect(await open(server.port, 0)).to.equal(552);
    expect(h.log.join('\n')).to.contain('clientkey does not match clientcert');
  });

  it('maps refusals, version mismatches and timeouts: 566, 555, 569', async () => {
    await trustCa();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await open(port, 0)).to.equal(566);

    await configure('"sslversion",0,1');
    expect(await open(server.port, 1)).to.equal(555);
    await configure('"sslversion",0,0');
    expect(await open(server.port, 1)).to.equal(555);
    await configure('"sslversion",0,4', '"ciphersuite",0,0X0005');
    expect(await open(server.port, 1)).to.equal(555);
  });

  it('bounds the handshake by negotiatetime: a server that never answers gives 569', async () => {
    await h.close();
    // The negotiate timer is fired by the test once the silent server holds the connection.
    let fire: (() => void) | undefined;
    const clock = {
      now: () => performance.now(),
      setTimeout: (callback: () => void, ms: number) => {
        if (ms === 10_000) {
          fire = callback;
          return 'negotiate';
        }
        return setTimeout(callback, ms);
      },
      clearTimeout: (handle: unknown) => {
        if (handle !== 'negotiate') clearTimeout(handle as NodeJS.Timeout);
      },
    };
    h = await startModem({ clock }, true);
    const held: Socket[] = [];
    const silent: Server = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      await configure('"negotiatetime",0,10');
      expect(
        await h.at.command(`AT+QSSLOPEN=1,0,0,"127.0.0.1",${(silent.address() as { port: number }).port},0`),
      ).to.equal('\r\nOK\r\n');
      while (held.length === 0 || !fire) await new Promise((resolve) => setTimeout(resolve, 2));
      fire();
      expect(await h.at.until(/\+QSSLOPEN: 0,\d+\r\n/)).to.equal('\r\n+QSSLOPEN: 0,569\r\n');
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('reports "closed" when the server goes away mid-session; then send fails and recv gives 0', async () => {
    await trustCa();
    expect(await open(server.port)).to.equal(0);
    server.clients[0].socket.end('last words');
    await h.at.until('+QSSLURC: "recv",0\r\n');
    await waitForLog(h, 'ssl client', 0).catch(() => undefined);
    await waitForLog(h, 'socket 0: peer closed');
    h.at.write('AT+QSSLRECV=0,100\r');
    expect(await h.at.until('"closed",0\r\n')).to.equal(
      '\r\n+QSSLRECV: 10\r\nlast words\r\n\r\nOK\r\n\r\n+QSSLURC: "closed",0\r\n',
    );
    expect(await h.at.command('AT+QSSLRECV=0,100')).to.equal('\r\n+QSSLRECV: 0\r\n\r\nOK\r\n');
    expect(await h.at.command('AT+QSSLSEND=0,1')).to.equal('\r\n+CME ERROR: 567\r\n');
    expect(await h.at.command('AT+QSSLCLOSE=0')).to.equal('\r\nOK\r\n');
  });

  it('reports data from a server that speaks first after +QSSLOPEN, never before it', async () => {
    const greeter = await tlsServer(pki.server, {}, 'welcome\r\n');
    await trustCa();
    h.at.write(`AT+QSSLOPEN=1,0,4,"127.0.0.1",${greeter.port},0\r`);
    expect(await h.at.until('+QSSLURC: "recv",4\r\n')).to.equal(
      '\r\nOK\r\n\r\n+QSSLOPEN: 4,0\r\n\r\n+QSSLURC: "recv",4\r\n',
    );
    expect(await h.at.command('AT+QSSLRECV=4,1500')).to.equal(
      '\r\n+QSSLRECV: 9\r\nwelcome\r\n\r\n\r\nOK\r\n',
    );
  });

  it('pushes plaintext inside the URC in direct push mode', async () => {
    await trustCa();
    expect(await open(server.port, 2, '127.0.0.1', 1)).to.equal(0);
    await h.at.sendData('AT+QSSLSEND=2,4', 'push');
    expect(await h.at.until('push\r\n')).to.equal('\r\n+QSSLURC: "recv",2,4\r\npush\r\n');
  });

  it('sends SNI only when "sni" is 1, and resumes the session when "session" is 1', async () => {
    await trustCa();
    await configure(`"checkhost",0,"${SERVER_NAME}"`);
    expect(await open(server.port, 0)).to.equal(0);
    expect(server.clients[0].servername).to.equal(false);
    await configure('"sni",0,1', '"session",0,1');
    expect(await open(server.port, 1)).to.equal(0);
    expect(server.clients[1].servername).to.equal(SERVER_NAME);
    await h.at.command('AT+QSSLCLOSE=1');
    expect(await open(server.port, 1)).to.equal(0);
    expect(h.log.filter((line) => line.includes('session resumed'))).to.have.length(1);
  });

  it('shares ids with QI sockets: 563 on a used id; QICLOSE (the Mbed retry quirk) closes SSL clients', async () => {
    await trustCa();
    expect(await open(server.port, 0)).to.equal(0);
    expect(await open(server.port, 0)).to.equal(563);
    expect(await h.at.command('AT+QICLOSE=0')).to.equal('\r\nOK\r\n');
    expect(await h.at.command('AT+QSSLSTATE')).to.equal('\r\nOK\r\n');
    // The boot sweep of the Mbed OS driver: every id answers OK.
    for (let id = 0; id < 12; id++) expect(await h.at.command(`AT+QSSLCLOSE=${id}`)).to.equal('\r\nOK\r\n');
  });

  it('answers bad QSSL commands with errors and times out an unfinished QSSLSEND', async () => {
    await trustCa();
    expect(await open(server.port, 0)).to.equal(0);
    for (const [line, answer] of [
      ['AT+QSSLOPEN=1,6,1,"127.0.0.1",443,0', '\r\n+CME ERROR: 552\r\n'],
      ['AT+QSSLOPEN=1,0,12,"127.0.0.1",443,0', '\r\n+CME ERROR: 552\r\n'],
      ['AT+QSSLOPEN=1,0,1,"127.0.0.1",0,0', '\r\n+CME ERROR: 552\r\n'],
      ['AT+QSSLOPEN=1,0,1,"127.0.0.1",443,2', '\r\n+CME ERROR: 555\r\n'],
      ['AT+QSSLSEND=0,1461', '\r\n+CME ERROR: 552\r\n'],
      ['AT+QSSLSEND=9,5', '\r\n+CME ERROR: 567\r\n'],
      ['AT+QSSLRECV=0', '\r\n+CME ERROR: 552\r\n'],
      ['AT+QSSLRECV=0,1501', '\r\n+CME ERROR: 552\r\n'],
      ['AT+QSSLRECV=7,10', '\r\n+CME ERROR: 567\r\n'],
      ['AT+QSSLCLOSE=12', '\r\n+CME ERROR: 552\r\n'],
    ] as const) {
      expect(await h.at.command(line), line).to.equal(answer);
    }
    h.at.write('AT+QSSLSEND=0,10\r');
    await h.at.until('\r\n> ');
    h.at.write('short');
    expect(await h.at.until(/\r\n\+CME ERROR: \d+\r\n/)).to.equal('\r\n+CME ERROR: 569\r\n');
    expect(await h.at.sendData('AT+QSSLSEND=0,2', 'ok')).to.equal('\r\nSEND OK\r\n');
  });
});
