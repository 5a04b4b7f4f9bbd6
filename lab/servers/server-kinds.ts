// The lab's servers by name: what each speaks, what it does with the bytes, and which certificate it shows.
// The names are what scenarios list in `servers: [...]` and pass to `server(kind)`.
import { labHostname } from '../pki/lab-hostnames.ts';
import { SERVER_CREDENTIALS, type ServerCredentialName } from '../pki/server-credentials.ts';

export const SERVER_KINDS = [
  'tcp-echo',
  'tcp-discard',
  'tcp-daytime',
  'udp-echo',
  'tls-echo',
  'tls-discard',
  'tls-daytime',
  'tls-mtls-echo',
  'tls-ecdsa-echo',
  'badssl-expired',
  'badssl-not-yet-valid',
  'badssl-wrong-host',
  'badssl-self-signed',
  'badssl-untrusted-root',
  'badssl-sha1',
  'badssl-rsa1024',
  'badssl-missing-intermediate',
  'mqtt',
  'mqtts',
  'mqtts-mtls',
  'https',
] as const;

export type ServerKind = (typeof SERVER_KINDS)[number];

/**
 * echo: every byte back; discard: read and drop; daytime: one line of time, then close (RFC 867);
 * mqtt: an MQTT broker (aedes) with the lab's agent (mqtt-broker.ts); http: the JSON API (http-api.ts).
 */
export type ServiceName = 'echo' | 'discard' | 'daytime' | 'mqtt' | 'http';

export interface ServerKindSpec {
  transport: 'tcp' | 'udp' | 'tls';
  service: ServiceName;
  hostname: string;
  /** TLS only: the certificate the server presents. */
  credential?: ServerCredentialName;
  /** TLS only: refuse clients without a certificate the lab CA vouches for. */
  requireClientCert?: boolean;
  /**
   * TLS only: OpenSSL security level 0, because at Node's default level the server refuses to load a SHA-1
   * signed certificate at all (and a later default would refuse RSA-1024), so it could not present it.
   */
  weakCertificate?: boolean;
}

function tls(credential: ServerCredentialName, service: ServiceName = 'echo'): ServerKindSpec {
  return { transport: 'tls', service, hostname: SERVER_CREDENTIALS[credential].hostname, credential };
}

export const SERVER_KIND_SPECS: Record<ServerKind, ServerKindSpec> = {
  'tcp-echo': { transport: 'tcp', service: 'echo', hostname: labHostname('echo') },
  'tcp-discard': { transport: 'tcp', service: 'discard', hostname: labHostname('discard') },
  'tcp-daytime': { transport: 'tcp', service: 'daytime', hostname: labHostname('daytime') },
  'udp-echo': { transport: 'udp', service: 'echo', hostname: labHostname('echo') },
  'tls-echo': tls('echo'),
  'tls-discard': tls('discard', 'discard'),
  'tls-daytime': tls('daytime', 'daytime'),
  'tls-mtls-echo': { ...tls('mtls'), requireClientCert: true },
  'tls-ecdsa-echo': tls('ecdsa'),
  // The zoo echoes, so a client that skips verification visibly "works" against it.
  'badssl-expired': tls('expired'),
  'badssl-not-yet-valid': tls('not-yet-valid'),
  'badssl-wrong-host': tls('wrong-host'),
  'badssl-self-signed': tls('self-signed'),
  'badssl-untrusted-root': tls('untrusted-root'),
  'badssl-sha1': { ...tls('sha1'), weakCertificate: true },
  'badssl-rsa1024': { ...tls('rsa1024'), weakCertificate: true },
  'badssl-missing-intermediate': tls('missing-intermediate'),
  // Protocol servers for libraries over toDuplex. The TLS ones show an existing lab certificate (as the
  // DTLS servers do), so their names are that certificate's: no new certificate, no PKI regeneration.
  mqtt: { transport: 'tcp', service: 'mqtt', hostname: labHostname('mqtt') },
  mqtts: tls('echo', 'mqtt'),
  'mqtts-mtls': { ...tls('mtls', 'mqtt'), requireClientCert: true },
  https: tls('echo', 'http'),
};

/** The bad-certificate zoo: every kind whose handshake a verifying client must refuse. */
export const BADSSL_KINDS = SERVER_KINDS.filter((kind) => kind.startsWith('badssl-'));

export function isServerKind(value: string): value is ServerKind {
  return (SERVER_KINDS as readonly string[]).includes(value);
}
