// The lab PKI judged by an independent verifier, `openssl verify`: the good chain passes, and each zoo
// certificate fails with its own error and passes once exactly that one flaw is forgiven.
import { execFileSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { LabPki } from '../../../lab/pki/lab-pki.ts';
import { SERVER_CREDENTIAL_NAMES, type ServerCredentialName } from '../../../lab/pki/server-credentials.ts';
import { sharedTestPki } from './shared-test-pki.ts';

interface VerifyOptions {
  caFile?: string;
  untrusted?: string;
  hostname?: string;
  authLevel?: number;
  atTime?: Date;
  purpose?: string;
}

let scratch: string;

/** Runs `openssl verify`; returns its combined output and whether it said OK. */
function opensslVerify(certPath: string, options: VerifyOptions): { ok: boolean; output: string } {
  const args = ['verify', '-CAfile', options.caFile!];
  if (options.untrusted) args.push('-untrusted', options.untrusted);
  if (options.hostname) args.push('-verify_hostname', options.hostname);
  if (options.authLevel !== undefined) args.push('-auth_level', String(options.authLevel));
  if (options.atTime) args.push('-attime', String(Math.floor(options.atTime.getTime() / 1000)));
  if (options.purpose) args.push('-purpose', options.purpose);
  args.push(certPath);
  try {
    return { ok: true, output: execFileSync('openssl', args, { stdio: 'pipe' }).toString() };
  } catch (error) {
    const { stdout, stderr } = error as { stdout: Buffer; stderr: Buffer };
    return { ok: false, output: `${stdout}${stderr}` };
  }
}

/** The certificates a server sends after its leaf, as a file for -untrusted (undefined if none). */
function sentIntermediates(pki: LabPki, name: ServerCredentialName): string | undefined {
  const credential = pki.servers[name];
  const rest = credential.chainPem.slice(credential.certPem.length);
  if (!rest.includes('BEGIN CERTIFICATE')) return undefined;
  const path = join(scratch, `${name}-sent-intermediates.pem`);
  writeFileSync(path, rest);
  return path;
}

/** What a strict client does: lab CA, the chain the server sends, the hostname, security level 2. */
function strictVerify(pki: LabPki, name: ServerCredentialName, change: VerifyOptions = {}) {
  return opensslVerify(pki.servers[name].certPath, {
    caFile: pki.caPath,
    untrusted: sentIntermediates(pki, name),
    hostname: pki.servers[name].hostname,
    authLevel: 2,
    purpose: 'sslserver',
    ...change,
  });
}

const DAY = 24 * 60 * 60 * 1000;
const insideValidity = (pem: string) => new Date(Date.parse(new X509Certificate(pem).validFrom) + DAY);

const ZOO: Record<string, { error: RegExp; forgive: (pki: LabPki) => VerifyOptions }> = {
  expired: {
    error: /error 10 at 0 depth lookup: certificate has expired/,
    forgive: (pki) => ({ atTime: insideValidity(pki.servers.expired.certPem) }),
  },
  'not-yet-valid': {
    error: /error 9 at 0 depth lookup: certificate is not yet valid/,
    forgive: (pki) => ({ atTime: insideValidity(pki.servers['not-yet-valid'].certPem) }),
  },
  'wrong-host': {
    error: /error 62 at 0 depth lookup: hostname mismatch/,
    forgive: () => ({ hostname: 'anything.tlssim.test' }),
  },
  'self-signed': {
    error: /error 18 at 0 depth lookup: self-signed certificate/,
    forgive: (pki) => ({ caFile: pki.servers['self-signed'].certPath }),
  },
  'untrusted-root': {
    error: /error 19 at 1 depth lookup: self-signed certificate in certificate chain/,
    forgive: (pki) => ({ caFile: pki.untrustedRootPath }),
  },
  sha1: {
    error: /error 68 at 0 depth lookup: CA signature digest algorithm too weak/,
    forgive: () => ({ authLevel: 0 }),
  },
  rsa1024: {
    error: /error 66 at 0 depth lookup: EE certificate key too weak/,
    forgive: () => ({ authLevel: 0 }),
  },
  'missing-intermediate': {
    error: /error 20 at 0 depth lookup: unable to get local issuer certificate/,
    forgive: (pki) => ({ untrusted: pki.intermediatePath }),
  },
};

describe('lab/pki the lab PKI (openssl verify)', () => {
  let pki: LabPki;

  before(async function () {
    this.timeout(30_000); // the first run of the suite may have to generate the PKI
    pki = await sharedTestPki();
    scratch = mkdtempSync(join(tmpdir(), 'tlssim-pki-verify-'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('chains the intermediate to the root, both as CAs', () => {
    expect(opensslVerify(pki.intermediatePath, { caFile: pki.caPath }).output).to.match(/: OK/);
    expect(new X509Certificate(pki.caPem).ca).to.equal(true);
    expect(new X509Certificate(pki.intermediatePem).ca).to.equal(true);
    expect(new X509Certificate(pki.intermediatePem).checkIssued(new X509Certificate(pki.caPem))).to.equal(
      true,
    );
  });

  it('issues a client certificate that verifies for client authentication (leaf alone + intermediate)', () => {
    const result = opensslVerify(pki.clientCertPath, {
      caFile: pki.caPath,
      untrusted: pki.intermediatePath,
      purpose: 'sslclient',
      authLevel: 2,
    });
    expect(result.output).to.match(/client\.pem: OK/);
    expect(
      opensslVerify(pki.clientCertPath, {
        caFile: pki.caPath,
        purpose: 'sslserver',
        untrusted: pki.intermediatePath,
      }).ok,
    ).to.equal(false);
    expect(pki.clientChainPem).to.equal(pki.clientCertPem + pki.intermediatePem);
    expect(
      new X509Certificate(pki.clientCertPem).checkPrivateKey(createPrivateKey(pki.clientKeyPem)),
    ).to.equal(true);
  });

  for (const name of ['echo', 'discard', 'daytime', 'mtls', 'ecdsa'] as const) {
    it(`server ${name}: verifies strictly for its lab name, localhost and 127.0.0.1`, () => {
      expect(strictVerify(pki, name).output).to.match(/: OK/);
      const cert = new X509Certificate(pki.servers[name].certPem);
      expect(cert.checkHost(pki.servers[name].hostname)).to.equal(pki.servers[name].hostname);
      expect(cert.checkHost('localhost')).to.equal('localhost');
      expect(cert.checkIP('127.0.0.1')).to.equal('127.0.0.1');
      expect(pki.servers[name].chainPem).to.equal(pki.servers[name].certPem + pki.intermediatePem);
    });
  }

  for (const [name, { error, forgive }] of Object.entries(ZOO) as [
    ServerCredentialName,
    (typeof ZOO)[string],
  ][]) {
    it(`zoo ${name}: fails with its own error, and passes once that flaw is forgiven`, () => {
      const strict = strictVerify(pki, name);
      expect(strict.ok, strict.output).to.equal(false);
      expect(strict.output).to.match(error);
      const forgiven = strictVerify(pki, name, forgive(pki));
      expect(forgiven.output).to.match(/: OK/);
    });
  }

  it('covers every zoo certificate in the table above', () => {
    const zoo = SERVER_CREDENTIAL_NAMES.filter((name) => pki.servers[name].spec.flaw !== 'valid');
    expect(zoo).to.have.members(Object.keys(ZOO));
  });

  it('uses RSA-2048 everywhere except the rsa1024 leaf and the P-256 ecdsa leaf', () => {
    for (const name of SERVER_CREDENTIAL_NAMES) {
      const details = new X509Certificate(pki.servers[name].certPem).publicKey.asymmetricKeyDetails;
      if (name === 'ecdsa') expect(details?.namedCurve).to.equal('prime256v1');
      else expect(details?.modulusLength, name).to.equal(name === 'rsa1024' ? 1024 : 2048);
    }
    for (const pem of [pki.caPem, pki.intermediatePem, pki.untrustedRootPem, pki.clientCertPem]) {
      expect(new X509Certificate(pem).publicKey.asymmetricKeyDetails?.modulusLength).to.equal(2048);
    }
  });

  it('sends leaf + signer normally, the leaf alone for missing-intermediate and self-signed', () => {
    const count = (pem: string) => pem.split('BEGIN CERTIFICATE').length - 1;
    expect(count(pki.servers.echo.chainPem)).to.equal(2);
    expect(pki.servers['untrusted-root'].chainPem).to.equal(
      pki.servers['untrusted-root'].certPem + pki.untrustedRootPem,
    );
    expect(count(pki.servers['missing-intermediate'].chainPem)).to.equal(1);
    expect(count(pki.servers['self-signed'].chainPem)).to.equal(1);
  });

  it('keeps private keys readable by their owner only', () => {
    expect(statSync(pki.clientKeyPath).mode & 0o077).to.equal(0);
    expect(statSync(pki.servers.echo.keyPath).mode & 0o077).to.equal(0);
  });
});
