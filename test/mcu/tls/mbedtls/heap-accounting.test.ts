// The binding counts Mbed TLS's own heap exactly (calloc/free interposed in the three libraries), and the
// figures agree with first principles: a parsed certificate holds at least its DER bytes, a context after
// mbedtls_ssl_setup holds at least the record buffers of this build, and everything returns on free.
import { X509Certificate } from 'node:crypto';
import { expect } from 'chai';
import {
  cString,
  MBEDTLS_ERR_SSL_WANT_READ,
  MBEDTLS_SSL_IN_CONTENT_LEN,
  MBEDTLS_SSL_OUT_CONTENT_LEN,
  mbedtlsHeapLibrariesHooked,
  mbedtlsHeapStats,
  newHeapOwner,
  SslContext,
  X509Crt,
} from '../../../../mcu/tls/mbedtls/index.ts';
import { clientConfig, serverConfig } from './helpers/endpoints.ts';
import { makeOpensslPki, type OpensslPki, SERVER_NAME } from './helpers/openssl-pki.ts';

/** Joins two contexts with in-memory queues. */
function join(client: SslContext, server: SslContext): void {
  const toServer: number[] = [];
  const toClient: number[] = [];
  const sender = (queue: number[]) => (data: Uint8Array) => {
    queue.push(...data);
    return data.length;
  };
  const receiver = (queue: number[]) => (max: number) =>
    queue.length === 0 ? MBEDTLS_ERR_SSL_WANT_READ : Uint8Array.from(queue.splice(0, max));
  client.setBio(sender(toServer), receiver(toClient));
  server.setBio(sender(toClient), receiver(toServer));
}

function handshake(client: SslContext, server: SslContext): void {
  let c = MBEDTLS_ERR_SSL_WANT_READ;
  let s = MBEDTLS_ERR_SSL_WANT_READ;
  for (let round = 0; round < 1000 && (c !== 0 || s !== 0); round++) {
    if (c !== 0) c = client.handshake();
    if (s !== 0) s = server.handshake();
    if ((c < 0 && c !== MBEDTLS_ERR_SSL_WANT_READ) || (s < 0 && s !== MBEDTLS_ERR_SSL_WANT_READ)) break;
  }
  expect({ c, s }).to.deep.equal({ c: 0, s: 0 });
}

describe('Mbed TLS binding: heap accounting', () => {
  let pki: OpensslPki;
  before(() => {
    pki = makeOpensslPki();
  });
  after(() => pki.dispose());

  it('counts all three libraries (libmbedtls, libmbedx509, libmbedcrypto)', () => {
    expect(mbedtlsHeapLibrariesHooked()).to.equal(3);
  });

  it('a parsed certificate holds at least its DER bytes, in blocks attributed to its owner, all freed', () => {
    const owner = newHeapOwner();
    const crt = new X509Crt();
    crt.heapOwner = owner;
    expect(crt.parse(cString(pki.pem('ca.pem')))).to.equal(0);
    const der = new X509Certificate(pki.pem('ca.pem')).raw.length;
    const parsed = mbedtlsHeapStats(owner);
    // the parser copies the DER (crt->raw) and allocates the key, names and extensions besides it
    expect(parsed.currentBytes).to.be.greaterThan(der);
    expect(parsed.allocations).to.be.greaterThan(1);
    crt.free();
    const freed = mbedtlsHeapStats(owner);
    expect(freed.currentBytes).to.equal(0);
    expect(freed.frees).to.equal(freed.allocations);
    // PEM is decoded into a temporary buffer first, so the parse peaks above what the chain keeps
    expect(freed.peakBytes).to.be.greaterThan(parsed.currentBytes);
  });

  it('after mbedtls_ssl_setup a context holds at least its in and out record buffers; free returns them', () => {
    const owner = newHeapOwner();
    const ctx = new SslContext();
    ctx.heapOwner = owner;
    expect(ctx.setup(clientConfig(pki))).to.equal(0);
    const setUp = mbedtlsHeapStats(owner).currentBytes;
    expect(MBEDTLS_SSL_IN_CONTENT_LEN + MBEDTLS_SSL_OUT_CONTENT_LEN).to.be.greaterThan(0);
    expect(setUp).to.be.at.least(MBEDTLS_SSL_IN_CONTENT_LEN + MBEDTLS_SSL_OUT_CONTENT_LEN);
    ctx.free();
    expect(mbedtlsHeapStats(owner).currentBytes).to.equal(0);
  });

  it('a handshake peaks above its steady state, and the client context returns to 0 when freed', () => {
    const owner = newHeapOwner();
    const client = new SslContext();
    client.heapOwner = owner;
    const server = new SslContext();
    expect(client.setup(clientConfig(pki))).to.equal(0);
    expect(server.setup(serverConfig(pki))).to.equal(0);
    expect(client.setHostname(SERVER_NAME)).to.equal(0);
    const setUp = mbedtlsHeapStats(owner).currentBytes;
    join(client, server);
    handshake(client, server);
    const done = mbedtlsHeapStats(owner);
    // the handshake parameters (key exchange, the peer's chain while verifying) are gone once it ends;
    // the session with the peer's certificate and the transform stay
    expect(done.peakBytes).to.be.greaterThan(done.currentBytes);
    expect(done.currentBytes).to.be.greaterThan(setUp);
    client.free();
    server.free();
    const freed = mbedtlsHeapStats(owner);
    expect(freed.currentBytes).to.equal(0);
    expect(freed.frees).to.equal(freed.allocations);
  });

  it('the process total counts every owner’s blocks', () => {
    // Allocation counts only grow, and nothing else calls Mbed TLS in between; byte totals are not
    // compared, since a garbage-collected context of an earlier test may free its blocks at any time.
    const before = mbedtlsHeapStats();
    const owner = newHeapOwner();
    const crt = new X509Crt();
    crt.heapOwner = owner;
    expect(crt.parse(cString(pki.pem('ca.pem')))).to.equal(0);
    const parsed = mbedtlsHeapStats(owner);
    expect(mbedtlsHeapStats().allocations - before.allocations).to.equal(parsed.allocations);
    crt.free();
    expect(mbedtlsHeapStats().frees - before.frees).to.be.at.least(mbedtlsHeapStats(owner).frees);
  });
});
