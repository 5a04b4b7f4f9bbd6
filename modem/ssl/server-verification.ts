import { X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  checkServerIdentity,
  type DetailedPeerCertificate,
  type PeerCertificate,
  type TLSSocket,
} from 'node:tls';
import type forge from 'node-forge';

/** What the modem checks about the server, from the context's seclevel / ignorelocaltime / checkhost. */
export interface VerificationPolicy {
  readonly verify: boolean;
  readonly ignoreDates: boolean;
  /** The name (or address) the certificate must match; undefined = no host check. */
  readonly host?: string;
  readonly trusted: readonly X509Certificate[];
  /**
   * The certificate seen when the session being resumed was first established: a resumed handshake
   * carries no certificate, but the host check still applies to it.
   */
  readonly resumedPeer?: PeerCertificate;
}

/** OpenSSL verification errors that only concern validity dates. */
const DATE_ERRORS = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
/** SHA-1 signature OIDs (RSA, ECDSA, DSA): refused as OpenSSL security level 2 does. */
const SHA1_SIGNATURES = new Set([
  '1.2.840.113549.1.1.5',
  '1.2.840.10045.4.1',
  '1.2.840.10040.4.3',
  '1.3.14.3.2.29',
]);
const MIN_RSA_BITS = 2048;
const MAX_CHAIN = 8;

/**
 * Decides whether the modem accepts the server after the handshake. Returns a reason to refuse, or
 * undefined. OpenSSL (at security level 2) does the path validation; with ignorelocaltime a chain it
 * refused only for dates is re-walked here without dates (OpenSSL reports only its last error, so a
 * date error may hide an untrusted or weak chain).
 */
export function refuseServer(socket: TLSSocket, policy: VerificationPolicy): string | undefined {
  if (!policy.verify) return undefined;
  if (!socket.authorized) {
    const error = String(socket.authorizationError ?? 'unknown verification error');
    if (!(policy.ignoreDates && DATE_ERRORS.has(error))) {
      return `server certificate rejected: ${error === 'UNSPECIFIED' ? explainUnspecified(socket) : error}`;
    }
    const problem = walkChainIgnoringDates(socket.getPeerCertificate(true), policy.trusted);
    if (problem) return `server certificate rejected: ${problem}`;
  }
  if (policy.host !== undefined) {
    const peer =
      socket.isSessionReused() && policy.resumedPeer ? policy.resumedPeer : socket.getPeerCertificate();
    const mismatch = checkServerIdentity(policy.host, peer);
    if (mismatch) return `server certificate does not match ${policy.host}: ${mismatch.message}`;
  }
  return undefined;
}

/** The presented chain, leaf first, as X509Certificates. */
function presentedChain(peer: DetailedPeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  let current: DetailedPeerCertificate | undefined = peer;
  while (current?.raw && chain.length < MAX_CHAIN) {
    chain.push(new X509Certificate(current.raw));
    if (!current.issuerCertificate || current.issuerCertificate === current) break;
    current = current.issuerCertificate;
  }
  return chain;
}

let forgeModule: typeof forge | undefined;

/**
 * node-forge, loaded on first use: only a chain OpenSSL refused needs it, and loading it cost every modem
 * process about 100 ms of CPU at start-up.
 */
function loadForge(): typeof forge {
  forgeModule ??= createRequire(import.meta.url)('node-forge') as typeof forge;
  return forgeModule;
}

function signatureOid(cert: X509Certificate): string {
  const { asn1: der, util } = loadForge();
  const asn1 = der.fromDer(util.createBuffer(cert.raw.toString('binary')));
  const algorithm = (asn1.value as forge.asn1.Asn1[])[1];
  const oid = (algorithm.value as forge.asn1.Asn1[])[0];
  return der.derToOid(util.createBuffer(oid.value as string));
}

function weakness(cert: X509Certificate, isAnchor: boolean): string | undefined {
  const details = cert.publicKey.asymmetricKeyDetails;
  if (cert.publicKey.asymmetricKeyType === 'rsa' && (details?.modulusLength ?? 0) < MIN_RSA_BITS) {
    return 'EE_KEY_TOO_SMALL';
  }
  // A trust anchor's own signature is never checked, so its hash does not matter.
  if (!isAnchor && SHA1_SIGNATURES.has(signatureOid(cert))) return 'CA_MD_TOO_WEAK';
  return undefined;
}

/**
 * Node names only some OpenSSL verification errors; the security-level ones (key too small, SHA-1)
 * arrive as UNSPECIFIED. Say which, for the log.
 */
function explainUnspecified(socket: TLSSocket): string {
  const chain = presentedChain(socket.getPeerCertificate(true));
  for (const [index, cert] of chain.entries()) {
    const weak = weakness(cert, index === chain.length - 1 && cert.checkIssued(cert));
    if (weak) return weak;
  }
  return 'UNSPECIFIED';
}

/** Signature, issuer and CA-flag checks up to a trusted certificate, without validity dates. */
function walkChainIgnoringDates(
  peer: DetailedPeerCertificate,
  trusted: readonly X509Certificate[],
): string | undefined {
  const presented = presentedChain(peer);
  const isTrusted = (cert: X509Certificate) => trusted.some((t) => t.fingerprint256 === cert.fingerprint256);
  let cert = presented[0];
  if (!cert) return 'no certificate';
  for (let depth = 0; depth < MAX_CHAIN; depth++) {
    if (isTrusted(cert)) return undefined;
    const weak = weakness(cert, false);
    if (weak) return weak;
    const issuer = [...trusted, ...presented.slice(1)].find(
      (candidate) => candidate.ca && cert.checkIssued(candidate) && cert.verify(candidate.publicKey),
    );
    if (!issuer) return 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY';
    if (isTrusted(issuer)) return weakness(issuer, true);
    cert = issuer;
  }
  return 'CERT_CHAIN_TOO_LONG';
}
