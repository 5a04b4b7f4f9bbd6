// Where each part of the lab PKI lives inside its directory, so writer, reader and users agree on one layout.
import type { ServerCredentialName } from './server-credentials.ts';

/** Bump when the set of files or what they contain changes: older caches are then regenerated. */
export const PKI_FORMAT_VERSION = 2;

export const PKI_FILES = {
  manifest: 'manifest.json',
  ca: 'ca.pem',
  intermediate: 'intermediate.pem',
  untrustedRoot: 'untrusted-root.pem',
  clientCert: 'client.pem',
  /** The client certificate followed by the intermediate that signed it. */
  clientChain: 'client-chain.pem',
  clientKey: 'client.key',
} as const;

export interface ServerCredentialFiles {
  /** The leaf certificate alone. */
  cert: string;
  /** Exactly what the server sends in its Certificate message. */
  chain: string;
  key: string;
}

export function serverCredentialFiles(name: ServerCredentialName): ServerCredentialFiles {
  return { cert: `servers/${name}.pem`, chain: `servers/${name}-chain.pem`, key: `servers/${name}.key` };
}

export interface PkiManifest {
  format: 'tlssim-pki';
  version: number;
  generated: string;
}
