import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import forge from 'node-forge';
import {
  type IssuedCertificate,
  issueCertificate,
  issuerOf,
  keyIdentifierOf,
  selfIssuer,
} from '../../../lab/pki/certificate-builder.ts';
import { createKeyPair, type KeyPair, privateKeyToPem } from '../../../lab/pki/key-pairs.ts';

const DAY = 24 * 60 * 60 * 1000;

function signatureOidOf(pem: string): string {
  const der = Buffer.from(new X509Certificate(pem).raw).toString('binary');
  const certificate = forge.asn1.fromDer(der);
  const algorithm = (certificate.value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[];
  return forge.asn1.derToOid(algorithm[0].value as string);
}

function opensslText(pem: string): string {
  return execFileSync('openssl', ['x509', '-noout', '-text'], { input: pem }).toString();
}

describe('lab/pki certificate builder', () => {
  let caKey: KeyPair;
  let ecKey: KeyPair;
  let ca: IssuedCertificate;
  const caName = { organizationName: 'builder test', commonName: 'Builder Test CA' };
  const now = Date.now();

  before(async () => {
    [caKey, ecKey] = await Promise.all([
      createKeyPair({ type: 'rsa', bits: 2048 }),
      createKeyPair({ type: 'ec', curve: 'P-256' }),
    ]);
    ca = issueCertificate({
      subject: caName,
      publicKey: caKey.publicKey,
      issuer: selfIssuer(caName, caKey.privateKey),
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 30 * DAY),
      role: 'ca',
      pathLength: 0,
    });
  });

  it('makes a self-signed CA that verifies itself and is marked as a CA', () => {
    const cert = new X509Certificate(ca.pem);
    expect(cert.ca).to.equal(true);
    expect(cert.verify(cert.publicKey)).to.equal(true);
    expect(cert.subject).to.equal('O=builder test\nCN=Builder Test CA');
    const text = opensslText(ca.pem);
    expect(text).to.match(/CA:TRUE, pathlen:0/);
    expect(text).to.match(/Certificate Sign, CRL Sign/);
  });

  it('signs an ECDSA P-256 leaf with the RSA CA, with SANs, usages and key identifiers', () => {
    const leaf = issueCertificate({
      subject: { commonName: 'ec.builder.test' },
      publicKey: ecKey.publicKey,
      issuer: issuerOf(ca, caKey.privateKey),
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 10 * DAY),
      role: 'server',
      dnsNames: ['ec.builder.test', 'localhost'],
      ipAddresses: ['127.0.0.1'],
    });
    const cert = new X509Certificate(leaf.pem);
    expect(cert.ca).to.equal(false);
    expect(cert.checkIssued(new X509Certificate(ca.pem))).to.equal(true);
    expect(cert.verify(new X509Certificate(ca.pem).publicKey)).to.equal(true);
    expect(cert.checkPrivateKey(ecKey.privateKey)).to.equal(true);
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).to.equal('prime256v1');
    expect(cert.subjectAltName).to.equal('DNS:ec.builder.test, DNS:localhost, IP Address:127.0.0.1');
    expect(cert.checkHost('ec.builder.test')).to.equal('ec.builder.test');
    expect(cert.checkIP('127.0.0.1')).to.equal('127.0.0.1');
    expect(signatureOidOf(leaf.pem)).to.equal(forge.pki.oids.sha256WithRSAEncryption);
    const text = opensslText(leaf.pem);
    expect(text).to.match(/Key Usage: critical\s+Digital Signature\n/);
    expect(text).to.match(/TLS Web Server Authentication/);
    const hex = (bytes: Buffer) =>
      [...bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
    expect(text).to.include(
      `Subject Key Identifier: \n                ${hex(keyIdentifierOf(ecKey.publicKey))}`,
    );
    expect(text).to.include(`Authority Key Identifier: \n                ${hex(ca.keyIdentifier)}`);
  });

  it('passes openssl verify for a CA → leaf chain, and honours the requested digest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlssim-builder-'));
    try {
      const leaf = issueCertificate({
        subject: { commonName: 'client.builder.test' },
        publicKey: caKey.publicKey,
        issuer: issuerOf(ca, caKey.privateKey),
        notBefore: new Date(now - DAY),
        notAfter: new Date(now + 10 * DAY),
        role: 'client',
        digest: 'sha1',
      });
      expect(signatureOidOf(leaf.pem)).to.equal(forge.pki.oids.sha1WithRSAEncryption);
      writeFileSync(join(dir, 'ca.pem'), ca.pem);
      writeFileSync(join(dir, 'leaf.pem'), leaf.pem);
      const out = execFileSync('openssl', [
        'verify',
        '-purpose',
        'sslclient',
        '-CAfile',
        join(dir, 'ca.pem'),
        join(dir, 'leaf.pem'),
      ]);
      expect(out.toString()).to.match(/leaf\.pem: OK/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives each certificate a fresh positive serial number', () => {
    const serials = new Set(
      [0, 1, 2].map(
        () =>
          new X509Certificate(
            issueCertificate({
              subject: { commonName: 'serial.builder.test' },
              publicKey: ecKey.publicKey,
              issuer: issuerOf(ca, caKey.privateKey),
              notBefore: new Date(now),
              notAfter: new Date(now + DAY),
              role: 'server',
            }).pem,
          ).serialNumber,
      ),
    );
    expect(serials.size).to.equal(3);
    for (const serial of serials) expect(Number.parseInt(serial.slice(0, 2), 16)).to.be.within(1, 0x7f);
  });

  it('refuses a non-RSA issuer with a clear error', () => {
    expect(() =>
      issueCertificate({
        subject: { commonName: 'x' },
        publicKey: ecKey.publicKey,
        issuer: selfIssuer({ commonName: 'x' }, ecKey.privateKey),
        notBefore: new Date(now),
        notAfter: new Date(now + DAY),
        role: 'server',
      }),
    ).to.throw(/RSA keys only/);
  });

  it('writes keys in the traditional PEM forms', () => {
    expect(privateKeyToPem(caKey.privateKey)).to.match(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(privateKeyToPem(ecKey.privateKey)).to.match(/^-----BEGIN EC PRIVATE KEY-----\n/);
  });
});
