// The export-keys hook (mbedtls_ssl_conf_export_keys_ext_cb): both ends of one in-memory TLS 1.2
// handshake see the same master secret and client random, the random is the ClientHello's, and
// installKeyLog writes the NSS key log line Wireshark needs to SSLKEYLOGFILE.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { MBEDTLS_ERR_SSL_WANT_READ, type SslConfig, SslContext } from '../../../../mcu/tls/mbedtls/index.ts';
import { installKeyLog } from '../../../../mcu/tls/tls-key-log.ts';
import { KEY_LOG_ENV } from '../../../../shared/nss-key-log.ts';
import { clientConfig, serverConfig } from './helpers/endpoints.ts';
import { makeOpensslPki, type OpensslPki, SERVER_NAME } from './helpers/openssl-pki.ts';

interface Exported {
  masterSecret: Buffer;
  clientRandom: Buffer;
  serverRandom: Buffer;
}

/** Handshakes a client and a server over two queues; returns the client's first flight (ClientHello). */
function handshake(clientConf: SslConfig, serverConf: SslConfig): Buffer {
  const client = new SslContext();
  const server = new SslContext();
  expect(client.setup(clientConf)).to.equal(0);
  expect(server.setup(serverConf)).to.equal(0);
  client.setHostname(SERVER_NAME);
  const toServer: Buffer[] = [];
  const toClient: Buffer[] = [];
  const sent: Buffer[] = [];
  const queue = (q: Buffer[]) => (data: Uint8Array) => {
    q.push(Buffer.from(data));
    return data.length;
  };
  const take = (q: Buffer[]) => (max: number) => {
    const all = Buffer.concat(q.splice(0));
    if (all.length === 0) return MBEDTLS_ERR_SSL_WANT_READ;
    if (all.length > max) q.push(all.subarray(max));
    return all.subarray(0, max);
  };
  client.setBio((data) => {
    sent.push(Buffer.from(data));
    return queue(toServer)(data);
  }, take(toClient));
  server.setBio(queue(toClient), take(toServer));
  let c = MBEDTLS_ERR_SSL_WANT_READ;
  let s = MBEDTLS_ERR_SSL_WANT_READ;
  for (let i = 0; i < 1000 && (c !== 0 || s !== 0); i++) {
    if (c !== 0) c = client.handshake();
    if (s !== 0) s = server.handshake();
  }
  expect({ c, s }).to.deep.equal({ c: 0, s: 0 });
  return sent[0];
}

describe('Mbed TLS binding: export keys for the NSS key log', () => {
  let pki: OpensslPki;
  let dir: string;
  const savedEnv = process.env[KEY_LOG_ENV];

  before(() => {
    pki = makeOpensslPki();
    dir = mkdtempSync(join(tmpdir(), 'tlssim-keylog-'));
  });

  after(() => {
    pki.dispose();
    rmSync(dir, { recursive: true, force: true });
    if (savedEnv === undefined) delete process.env[KEY_LOG_ENV];
    else process.env[KEY_LOG_ENV] = savedEnv;
  });

  it('hands both ends the same master secret and the ClientHello random', () => {
    const seen: Record<'client' | 'server', Exported[]> = { client: [], server: [] };
    const clientConf = clientConfig(pki);
    const serverConf = serverConfig(pki);
    clientConf.setExportKeys((masterSecret, clientRandom, serverRandom) =>
      seen.client.push({ masterSecret, clientRandom, serverRandom }),
    );
    serverConf.setExportKeys((masterSecret, clientRandom, serverRandom) =>
      seen.server.push({ masterSecret, clientRandom, serverRandom }),
    );
    const clientHello = handshake(clientConf, serverConf);
    expect(seen.client).to.have.length(1);
    expect(seen.server).to.have.length(1);
    const [c] = seen.client;
    expect(c.masterSecret).to.have.length(48);
    expect(c.masterSecret.equals(seen.server[0].masterSecret)).to.equal(true);
    expect(c.serverRandom.equals(seen.server[0].serverRandom)).to.equal(true);
    // record header (5) + handshake header (4) + client_version (2), then the 32-byte random (RFC 5246 7.4.1.2)
    expect(c.clientRandom.equals(clientHello.subarray(11, 43))).to.equal(true);
  });

  it('installKeyLog writes CLIENT_RANDOM lines to SSLKEYLOGFILE, and nothing without it', () => {
    const file = join(dir, 'keys.log');
    process.env[KEY_LOG_ENV] = file;
    const clientConf = clientConfig(pki);
    installKeyLog(clientConf);
    const clientHello = handshake(clientConf, serverConfig(pki));
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/);
    expect(lines[0].split(' ')[1]).to.equal(clientHello.subarray(11, 43).toString('hex'));

    delete process.env[KEY_LOG_ENV];
    const quiet = clientConfig(pki);
    installKeyLog(quiet);
    handshake(quiet, serverConfig(pki));
    expect(readFileSync(file, 'utf8').trim().split('\n')).to.have.length(1);
  });
});
