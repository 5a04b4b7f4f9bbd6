// Is a PKI on disk still fit to use? Each certificate must parse, match its key, be signed by the CA it
// names, and sit in its intended validity window for a while longer; otherwise the cache is regenerated.
// This also catches a directory whose files come from two different generations.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { LabPki } from './lab-pki.ts';
import { SERVER_CREDENTIAL_NAMES, type ServerCredentialSpec } from './server-credentials.ts';

/** Renew this long before a valid certificate expires (or a not-yet-valid one turns valid). */
export const RENEW_MARGIN_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

type Validity = ServerCredentialSpec['validity'];

/** Every reason the PKI should not be used at `now`; empty when it is fine. */
export function pkiProblems(pki: LabPki, now: Date = new Date()): string[] {
  const problems: string[] = [];
  const parse = (label: string, pem: string): X509Certificate | undefined => {
    try {
      return new X509Certificate(pem);
    } catch (error) {
      problems.push(`${label}: cannot parse (${(error as Error).message})`);
      return undefined;
    }
  };
  const root = parse('root CA', pki.caPem);
  const intermediate = parse('intermediate CA', pki.intermediatePem);
  const untrustedRoot = parse('untrusted root CA', pki.untrustedRootPem);
  const client = parse('client', pki.clientCertPem);
  const check = (
    label: string,
    cert: X509Certificate | undefined,
    issuer: X509Certificate | undefined,
    validity: Validity,
    keyPem?: string,
  ) => {
    if (!cert) return;
    if (issuer && !cert.verify(issuer.publicKey)) problems.push(`${label}: not signed by ${issuer.subject}`);
    // A CA younger than its leaf would give a leaf seen at its own start time (the expired one) a second flaw.
    if (issuer && Date.parse(issuer.validFrom) > Date.parse(cert.validFrom)) {
      problems.push(`${label}: valid from before its CA ${issuer.subject}`);
    }
    if (keyPem !== undefined && !keyMatches(cert, keyPem)) problems.push(`${label}: key does not match`);
    const problem = validityProblem(cert, validity, now);
    if (problem) problems.push(`${label}: ${problem}`);
  };
  check('root CA', root, root, 'current');
  check('intermediate CA', intermediate, root, 'current');
  check('untrusted root CA', untrustedRoot, untrustedRoot, 'current');
  check('client', client, intermediate, 'current', pki.clientKeyPem);
  for (const name of SERVER_CREDENTIAL_NAMES) {
    const credential = pki.servers[name];
    const leaf = parse(`server ${name}`, credential.certPem);
    const signers = { intermediate, 'untrusted-root': untrustedRoot, self: leaf };
    check(
      `server ${name}`,
      leaf,
      signers[credential.spec.signer],
      credential.spec.validity,
      credential.keyPem,
    );
    if (!credential.chainPem.startsWith(credential.certPem)) {
      problems.push(`server ${name}: chain does not start with its certificate`);
    }
  }
  return problems;
}

function keyMatches(cert: X509Certificate, keyPem: string): boolean {
  try {
    return cert.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

function validityProblem(cert: X509Certificate, validity: Validity, now: Date): string | undefined {
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  const margin = RENEW_MARGIN_DAYS * DAY_MS;
  const t = now.getTime();
  switch (validity) {
    case 'current':
      if (from > t) return `not valid before ${cert.validFrom}`;
      if (to - t < margin) return `expires ${cert.validTo}, within ${RENEW_MARGIN_DAYS} days`;
      return undefined;
    case 'expired':
      return to < t ? undefined : `meant to be expired but valid until ${cert.validTo}`;
    case 'not-yet-valid':
      return from - t > margin ? undefined : `meant to be not yet valid but valid from ${cert.validFrom}`;
  }
}
