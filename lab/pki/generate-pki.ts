// Builds the whole lab PKI in memory: a root and an intermediate CA, a client certificate for mutual TLS,
// the good server certificates and the bad-certificate zoo. The result is a set of files (relative path →
// PEM text) that pki-store.ts writes to disk.
import {
  type DistinguishedName,
  type IssuedCertificate,
  type Issuer,
  issueCertificate,
  issuerOf,
  selfIssuer,
} from './certificate-builder.ts';
import { createKeyPair, type KeyPair, privateKeyToPem } from './key-pairs.ts';
import { PKI_FILES, PKI_FORMAT_VERSION, type PkiManifest, serverCredentialFiles } from './pki-layout.ts';
import {
  SERVER_CREDENTIAL_NAMES,
  SERVER_CREDENTIALS,
  type ServerCredentialSpec,
} from './server-credentials.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const ORGANIZATION = 'tlssim test lab';

export const ROOT_CA_NAME: DistinguishedName = {
  organizationName: ORGANIZATION,
  commonName: 'tlssim Test Root CA',
};
export const INTERMEDIATE_CA_NAME: DistinguishedName = {
  organizationName: ORGANIZATION,
  commonName: 'tlssim Test Intermediate CA',
};
export const UNTRUSTED_ROOT_CA_NAME: DistinguishedName = {
  organizationName: 'tlssim untrusted',
  commonName: 'tlssim Untrusted Root CA',
};
export const CLIENT_NAME: DistinguishedName = {
  organizationName: ORGANIZATION,
  commonName: 'tlssim test device',
};

/** Validity windows, as offsets in days from the moment of generation. */
export const VALIDITY_DAYS = {
  /** Leaves are back-dated a day so a fresh PKI is valid even to a peer whose clock lags a little. */
  backdate: 1,
  /** CAs are older than any leaf, the expired one included, so that leaf has no second flaw. */
  caBackdate: 2 * 365,
  rootCa: 20 * 365,
  intermediateCa: 10 * 365,
  leaf: 2 * 365,
  expired: { from: -400, to: -30 },
  notYetValid: { from: 365, to: 2 * 365 },
} as const;

/** Relative path → file content. */
export type PkiFiles = Map<string, string>;

export async function generatePkiFiles(now: Date = new Date()): Promise<PkiFiles> {
  const at = (days: number) => new Date(now.getTime() + days * DAY_MS);
  const start = at(-VALIDITY_DAYS.backdate);
  const caStart = at(-VALIDITY_DAYS.caBackdate);
  // One key for all RSA-2048 server leaves: a key per leaf adds only generation time, nothing a test can see.
  const [rootKey, intermediateKey, untrustedRootKey, clientKey, serverKey, rsa1024Key, ecdsaKey] =
    await Promise.all([
      createKeyPair({ type: 'rsa', bits: 2048 }),
      createKeyPair({ type: 'rsa', bits: 2048 }),
      createKeyPair({ type: 'rsa', bits: 2048 }),
      createKeyPair({ type: 'rsa', bits: 2048 }),
      createKeyPair({ type: 'rsa', bits: 2048 }),
      createKeyPair({ type: 'rsa', bits: 1024 }),
      createKeyPair({ type: 'ec', curve: 'P-256' }),
    ]);
  const leafKeys: Record<ServerCredentialSpec['key'], KeyPair> = {
    rsa2048: serverKey,
    rsa1024: rsa1024Key,
    'ecdsa-p256': ecdsaKey,
  };

  const root = selfSignedCa(ROOT_CA_NAME, rootKey, caStart, at(VALIDITY_DAYS.rootCa));
  const untrustedRoot = selfSignedCa(
    UNTRUSTED_ROOT_CA_NAME,
    untrustedRootKey,
    caStart,
    at(VALIDITY_DAYS.rootCa),
  );
  const intermediate = issueCertificate({
    subject: INTERMEDIATE_CA_NAME,
    publicKey: intermediateKey.publicKey,
    issuer: issuerOf(root, rootKey.privateKey),
    notBefore: caStart,
    notAfter: at(VALIDITY_DAYS.intermediateCa),
    role: 'ca',
    pathLength: 0,
  });
  const client = issueCertificate({
    subject: CLIENT_NAME,
    publicKey: clientKey.publicKey,
    issuer: issuerOf(intermediate, intermediateKey.privateKey),
    notBefore: start,
    notAfter: at(VALIDITY_DAYS.leaf),
    role: 'client',
  });

  const manifest: PkiManifest = {
    format: 'tlssim-pki',
    version: PKI_FORMAT_VERSION,
    generated: now.toISOString(),
  };
  const files: PkiFiles = new Map([
    [PKI_FILES.ca, root.pem],
    [PKI_FILES.intermediate, intermediate.pem],
    [PKI_FILES.untrustedRoot, untrustedRoot.pem],
    [PKI_FILES.clientCert, client.pem],
    [PKI_FILES.clientChain, client.pem + intermediate.pem],
    [PKI_FILES.clientKey, privateKeyToPem(clientKey.privateKey)],
  ]);

  const signers = {
    intermediate: { certificate: intermediate, issuer: issuerOf(intermediate, intermediateKey.privateKey) },
    'untrusted-root': {
      certificate: untrustedRoot,
      issuer: issuerOf(untrustedRoot, untrustedRootKey.privateKey),
    },
  };
  for (const name of SERVER_CREDENTIAL_NAMES) {
    const spec = SERVER_CREDENTIALS[name];
    const key = leafKeys[spec.key];
    const subject: DistinguishedName = { commonName: spec.dnsNames[0] ?? spec.hostname };
    const signer = spec.signer === 'self' ? undefined : signers[spec.signer];
    const issuer: Issuer = signer ? signer.issuer : selfIssuer(subject, key.privateKey);
    const [notBefore, notAfter] =
      spec.validity === 'expired'
        ? [at(VALIDITY_DAYS.expired.from), at(VALIDITY_DAYS.expired.to)]
        : spec.validity === 'not-yet-valid'
          ? [at(VALIDITY_DAYS.notYetValid.from), at(VALIDITY_DAYS.notYetValid.to)]
          : [start, at(VALIDITY_DAYS.leaf)];
    const leaf = issueCertificate({
      subject,
      publicKey: key.publicKey,
      issuer,
      notBefore,
      notAfter,
      role: 'server',
      dnsNames: spec.dnsNames,
      ipAddresses: spec.ipAddresses,
      digest: spec.digest,
    });
    const paths = serverCredentialFiles(name);
    files.set(paths.cert, leaf.pem);
    files.set(
      paths.chain,
      spec.chain === 'leaf-and-signer' && signer ? leaf.pem + signer.certificate.pem : leaf.pem,
    );
    files.set(paths.key, privateKeyToPem(key.privateKey));
  }
  // Written last by the store: a directory holding a manifest is complete.
  files.set(PKI_FILES.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  return files;
}

function selfSignedCa(
  name: DistinguishedName,
  key: KeyPair,
  notBefore: Date,
  notAfter: Date,
): IssuedCertificate {
  return issueCertificate({
    subject: name,
    publicKey: key.publicKey,
    issuer: selfIssuer(name, key.privateKey),
    notBefore,
    notAfter,
    role: 'ca',
  });
}
