// A small test PKI made by the `openssl` command line (an implementation independent of Mbed TLS) in a
// temporary directory: a CA, an unrelated CA, RSA and ECDSA server certificates, a client certificate.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const SERVER_NAME = 'server.tlssim.test';
export const CLIENT_NAME = 'client.tlssim.test';

export interface OpensslPki {
  dir: string;
  /** Absolute path of a file in the PKI directory (e.g. 'ca.pem', 'server-rsa.key'). */
  file(name: string): string;
  /** A PEM file's text. */
  pem(name: string): string;
  /** A certificate converted to DER by openssl. */
  der(name: string): Buffer;
  dispose(): void;
}

const config = `
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:${SERVER_NAME}, DNS:localhost, IP:127.0.0.1
[client]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
`;

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeKey(dir: string, name: string, kind: 'ec' | 'rsa'): void {
  const options =
    kind === 'ec'
      ? ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']
      : ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'];
  openssl(dir, ['genpkey', ...options, '-out', `${name}.key`]);
}

function makeCa(dir: string, name: string, commonName: string): void {
  makeKey(dir, name, 'ec');
  openssl(dir, [
    'req',
    '-new',
    '-x509',
    '-config',
    'pki.cnf',
    '-extensions',
    'ca',
    '-key',
    `${name}.key`,
    '-subj',
    `/CN=${commonName}`,
    '-days',
    '30',
    '-sha256',
    '-out',
    `${name}.pem`,
  ]);
}

function makeLeaf(
  dir: string,
  name: string,
  kind: 'ec' | 'rsa',
  commonName: string,
  profile: string,
  serial: number,
): void {
  makeKey(dir, name, kind);
  openssl(dir, [
    'req',
    '-new',
    '-config',
    'pki.cnf',
    '-key',
    `${name}.key`,
    '-subj',
    `/CN=${commonName}`,
    '-out',
    `${name}.csr`,
  ]);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-set_serial',
    String(serial),
    '-days',
    '30',
    '-sha256',
    '-extfile',
    'pki.cnf',
    '-extensions',
    profile,
    '-out',
    `${name}.pem`,
  ]);
}

export function makeOpensslPki(): OpensslPki {
  const dir = mkdtempSync(path.join(tmpdir(), 'tlssim-mbedtls-pki-'));
  writeFileSync(path.join(dir, 'pki.cnf'), config);
  makeCa(dir, 'ca', 'tlssim test CA');
  makeCa(dir, 'other-ca', 'tlssim unrelated CA');
  makeLeaf(dir, 'server-rsa', 'rsa', SERVER_NAME, 'server', 2);
  makeLeaf(dir, 'server-ec', 'ec', SERVER_NAME, 'server', 3);
  makeLeaf(dir, 'client', 'ec', CLIENT_NAME, 'client', 4);
  const file = (name: string) => path.join(dir, name);
  return {
    dir,
    file,
    pem: (name) => readFileSync(file(name), 'utf8'),
    der: (name) => execFileSync('openssl', ['x509', '-in', file(name), '-outform', 'DER']),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
