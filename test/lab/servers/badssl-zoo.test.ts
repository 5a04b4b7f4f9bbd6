// The bad-certificate zoo as a verifying client meets it: each server presents its own broken certificate
// (checked with openssl s_client as an independent peer) and Node's TLS client refuses it with the error
// that names that one flaw. These are the servers of Greentea's TLSSOCKET_HANDSHAKE_INVALID.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { expect } from 'chai';
import type { LabPki } from '../../../lab/pki/lab-pki.ts';
import { type Lab, startLab } from '../../../lab/servers/lab.ts';
import { BADSSL_KINDS, SERVER_KIND_SPECS, type ServerKind } from '../../../lab/servers/server-kinds.ts';
import { sharedTestPki } from '../pki/shared-test-pki.ts';
import { echoRoundTrip, openTls, tlsFailure } from './lab-clients.ts';

/**
 * Node's error for each zoo server, with the lab CA as the only trust anchor. OpenSSL has no Node code for
 * "digest too weak" or "key too weak" (UNSPECIFIED), so the message tells those apart. Node's default
 * security level (1) accepts RSA-1024, so that entry is checked at level 2, which is where a client
 * that refuses it (Mbed TLS's default profile wants 2048 bits) stands. `sClient` is openssl s_client's
 * verify return code for the same server.
 */
const EXPECTED: Record<string, { code: string; message?: RegExp; ciphers?: string; sClient: number }> = {
  'badssl-expired': { code: 'CERT_HAS_EXPIRED', sClient: 10 },
  'badssl-not-yet-valid': { code: 'CERT_NOT_YET_VALID', sClient: 9 },
  'badssl-wrong-host': {
    code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    message: /wrong\.host\.tlssim\.test.*DNS:\*\.tlssim\.test/,
    sClient: 62,
  },
  'badssl-self-signed': { code: 'DEPTH_ZERO_SELF_SIGNED_CERT', sClient: 18 },
  'badssl-untrusted-root': { code: 'SELF_SIGNED_CERT_IN_CHAIN', sClient: 19 },
  'badssl-sha1': { code: 'UNSPECIFIED', message: /^CA signature digest algorithm too weak$/, sClient: 0 },
  'badssl-rsa1024': {
    code: 'UNSPECIFIED',
    message: /^EE certificate key too weak$/,
    ciphers: 'DEFAULT:@SECLEVEL=2',
    sClient: 0,
  },
  'badssl-missing-intermediate': { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', sClient: 21 },
};

interface Presented {
  certificates: string[];
  verifyLine: string;
}

/**
 * What the server sends, as openssl s_client sees it, and s_client's verdict. Security level 0 lets the weak
 * certificates through (so s_client passes SHA-1 and RSA-1024; the Node checks above cover those).
 */
function presentedChain(lab: Lab, kind: ServerKind): Promise<Presented> {
  const server = lab.server(kind);
  const args = ['s_client', '-connect', `${server.address}:${server.port}`, '-servername', server.host];
  args.push(
    '-showcerts',
    '-CAfile',
    lab.caPath,
    '-cipher',
    'DEFAULT:@SECLEVEL=0',
    '-verify_hostname',
    server.host,
  );
  return new Promise((resolve, reject) => {
    const child = execFile('openssl', args, { timeout: 10_000 }, (error, stdout) => {
      const certificates =
        stdout.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g) ?? [];
      const verifyLine = stdout.match(/Verify return code: .*/)?.[0] ?? '';
      if (certificates.length === 0) reject(error ?? new Error(`s_client saw no certificate:\n${stdout}`));
      else resolve({ certificates, verifyLine });
    });
    child.stdin?.end();
  });
}

describe('lab/servers the bad-certificate zoo', () => {
  let lab: Lab;
  let pki: LabPki;

  before(async function () {
    this.timeout(30_000); // the first run of the suite may have to generate the PKI
    pki = await sharedTestPki();
    lab = await startLab({ kinds: BADSSL_KINDS, pki });
  });
  after(() => lab?.close());

  it('has one server per zoo certificate, each under its own name and port', () => {
    expect(Object.keys(EXPECTED)).to.have.members(BADSSL_KINDS);
    const ports = new Set(BADSSL_KINDS.map((kind) => lab.server(kind).port));
    expect(ports.size).to.equal(BADSSL_KINDS.length);
    expect(lab.server('badssl-wrong-host').host).to.equal('wrong.host.tlssim.test');
    expect(lab.server('badssl-expired').host).to.equal('expired.tlssim.test');
  });

  for (const kind of BADSSL_KINDS) {
    const expected = EXPECTED[kind];

    it(`${kind}: a verifying client fails with ${expected.code}`, async () => {
      const error = await tlsFailure(lab.server(kind), { ca: pki.caPem, ciphers: expected.ciphers });
      expect(error.code, error.message).to.equal(expected.code);
      if (expected.message) expect(error.message).to.match(expected.message);
    });

    it(`${kind}: presents exactly its zoo chain (openssl s_client)`, async function () {
      this.timeout(15_000);
      const credential = pki.servers[SERVER_KIND_SPECS[kind].credential!];
      const sent = await presentedChain(lab, kind);
      expect(sent.certificates.join('')).to.equal(credential.chainPem);
      expect(sent.verifyLine).to.match(new RegExp(`^Verify return code: ${expected.sClient} \\(`));
    });
  }

  it('the SHA-1 and RSA-1024 servers really present those certificates', async () => {
    const sha1 = await presentedChain(lab, 'badssl-sha1');
    const leafText = new X509Certificate(sha1.certificates[0]);
    expect(leafText.fingerprint256).to.equal(new X509Certificate(pki.servers.sha1.certPem).fingerprint256);
    const rsa1024 = await presentedChain(lab, 'badssl-rsa1024');
    expect(
      new X509Certificate(rsa1024.certificates[0]).publicKey.asymmetricKeyDetails?.modulusLength,
    ).to.equal(1024);
  });

  it('still echoes for a client that skips verification (the flaw is the certificate, not the server)', async () => {
    for (const kind of BADSSL_KINDS) {
      const socket = await openTls(lab.server(kind), { rejectUnauthorized: false });
      expect(socket.authorized, kind).to.equal(false);
      expect((await echoRoundTrip(socket, Buffer.from(kind))).toString()).to.equal(kind);
      socket.destroy();
    }
  });
});
