// Every certificate a lab TLS server presents: the good ones, and a bad-certificate zoo modelled on
// badssl.com, each broken in exactly one way so a client's failure can be traced to that one flaw.
import { labHostname } from './lab-hostnames.ts';

export const SERVER_CREDENTIAL_NAMES = [
  'echo',
  'discard',
  'daytime',
  'mtls',
  'ecdsa',
  'expired',
  'not-yet-valid',
  'wrong-host',
  'self-signed',
  'untrusted-root',
  'sha1',
  'rsa1024',
  'missing-intermediate',
] as const;

export type ServerCredentialName = (typeof SERVER_CREDENTIAL_NAMES)[number];

export interface ServerCredentialSpec {
  /** The name clients connect to (and the name the certificate would have to match). */
  hostname: string;
  /** Subject alternative names actually written into the certificate. */
  dnsNames: readonly string[];
  ipAddresses: readonly string[];
  /** Who signs the leaf: the lab intermediate (normal), a root the client is never given, or the leaf itself. */
  signer: 'intermediate' | 'untrusted-root' | 'self';
  key: 'rsa2048' | 'rsa1024' | 'ecdsa-p256';
  digest: 'sha256' | 'sha1';
  validity: 'current' | 'expired' | 'not-yet-valid';
  /** What the server sends: the leaf and its signer (the usual case), or the leaf alone. */
  chain: 'leaf-and-signer' | 'leaf-only';
  /** One line for listings: what is wrong, or 'valid'. */
  flaw: string;
}

const LOOPBACK_NAMES = ['localhost'];
const LOOPBACK_ADDRESSES = ['127.0.0.1'];

function good(label: string, key: ServerCredentialSpec['key'] = 'rsa2048'): ServerCredentialSpec {
  const hostname = labHostname(label);
  return {
    hostname,
    dnsNames: [hostname, ...LOOPBACK_NAMES],
    ipAddresses: LOOPBACK_ADDRESSES,
    signer: 'intermediate',
    key,
    digest: 'sha256',
    validity: 'current',
    chain: 'leaf-and-signer',
    flaw: 'valid',
  };
}

function flawed(label: string, flaw: string, change: Partial<ServerCredentialSpec>): ServerCredentialSpec {
  return { ...good(label), flaw, ...change };
}

export const SERVER_CREDENTIALS: Record<ServerCredentialName, ServerCredentialSpec> = {
  echo: good('echo'),
  discard: good('discard'),
  daytime: good('daytime'),
  mtls: good('mtls'),
  ecdsa: good('ecdsa', 'ecdsa-p256'),
  expired: flawed('expired', 'leaf certificate expired', { validity: 'expired' }),
  'not-yet-valid': flawed('not-yet-valid', 'leaf certificate not valid yet', { validity: 'not-yet-valid' }),
  // As wrong.host.badssl.com: a wildcard one label short (`*.tlssim.test` cannot match two labels).
  'wrong-host': {
    ...good('wrong-host'),
    hostname: labHostname('wrong.host'),
    dnsNames: [labHostname('*')],
    ipAddresses: [],
    flaw: 'certificate names *.tlssim.test, not wrong.host.tlssim.test',
  },
  'self-signed': flawed('self-signed', 'self-signed leaf', { signer: 'self', chain: 'leaf-only' }),
  'untrusted-root': flawed('untrusted-root', 'chain ends in a root the client does not trust', {
    signer: 'untrusted-root',
  }),
  sha1: flawed('sha1', 'leaf signed with SHA-1', { digest: 'sha1' }),
  rsa1024: flawed('rsa1024', 'leaf key is RSA-1024', { key: 'rsa1024' }),
  'missing-intermediate': flawed('missing-intermediate', 'server sends its leaf without the intermediate', {
    chain: 'leaf-only',
  }),
};
