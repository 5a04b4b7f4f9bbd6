import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The name every server certificate here is issued for (plus IP 127.0.0.1). */
export const SERVER_NAME = 'ssl.tlssim.test';

/** PEM texts of a small PKI made with the openssl CLI for the modem's TLS tests. */
export interface TestPki {
  readonly caCert: string;
  readonly server: { readonly cert: string; readonly key: string };
  /** Issued by a CA the modem is not told about. */
  readonly untrustedServer: { readonly cert: string; readonly key: string };
  /** Valid 2020-01-01 .. 2021-01-01. */
  readonly expiredServer: { readonly cert: string; readonly key: string };
  /** Expired and from the untrusted CA: ignorelocaltime must not hide the second problem. */
  readonly expiredUntrustedServer: { readonly cert: string; readonly key: string };
  readonly client: { readonly cert: string; readonly key: string };
  /** RSA-1024 key: below the modem's bar (OpenSSL security level 2, as Mbed TLS's default profile). */
  readonly rsa1024Server: { readonly cert: string; readonly key: string };
  /** Signed with SHA-1 by the trusted CA. */
  readonly sha1Server: { readonly cert: string; readonly key: string };
}

const EXTENSIONS = `
[server]
basicConstraints = CA:FALSE
subjectAltName = DNS:${SERVER_NAME},IP:127.0.0.1
extendedKeyUsage = serverAuth
[client]
basicConstraints = CA:FALSE
extendedKeyUsage = clientAuth
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
`;

/** `openssl ca`, only to issue certificates with validity dates in the past. */
const BACKDATING_CA = `
[ ca ]
default_ca = backdating
[ backdating ]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = anything
unique_subject = no
[ anything ]
commonName = supplied
`;

/** Generates the PKI into a temporary directory (EC P-256 keys: fast) and removes the directory. */
export function generateTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'tlssim-modem-pki-'));
  /** `openssl` with a space-separated argument list (no argument here contains a space). */
  const run = (args: string) => execFileSync('openssl', args.split(' '), { cwd: dir, stdio: 'pipe' });
  const read = (name: string) => readFileSync(join(dir, name), 'latin1');
  try {
    writeFileSync(join(dir, 'ext.cnf'), EXTENSIONS);
    writeFileSync(join(dir, 'ca.cnf'), BACKDATING_CA);
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'serial'), '1000\n');
    let serial = 1;
    const ecKey = (name: string) =>
      run(`genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ${name}`);
    const rsa1024Key = (name: string) =>
      run(`genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out ${name}`);
    const csr = (name: string, cn: string, makeKey = ecKey) => {
      makeKey(`${name}.key`);
      run(`req -new -key ${name}.key -subj /CN=${cn} -out ${name}.csr`);
    };
    const root = (name: string, cn: string) => {
      ecKey(`${name}.key`);
      run(
        `req -x509 -new -key ${name}.key -subj /CN=${cn} -days 30 -sha256 -extensions ca -config ext.cnf -out ${name}.crt`,
      );
    };
    const leaf = (name: string, ca: string, kind: 'server' | 'client', digest = 'sha256') =>
      run(
        `x509 -req -in ${name}.csr -CA ${ca}.crt -CAkey ${ca}.key -set_serial ${serial++} -days 30 -${digest} ` +
          `-extfile ext.cnf -extensions ${kind} -out ${name}.crt`,
      );
    const expired = (name: string, ca: string) =>
      run(
        `ca -batch -config ca.cnf -cert ${ca}.crt -keyfile ${ca}.key -in ${name}.csr -startdate 20200101000000Z ` +
          `-enddate 20210101000000Z -extfile ext.cnf -extensions server -notext -out ${name}.crt`,
      );
    root('ca', 'tlssim-modem-test-CA');
    root('other', 'some-other-CA');
    for (const name of ['server', 'untrusted', 'expired', 'expired-untrusted', 'sha1'])
      csr(name, SERVER_NAME);
    csr('rsa1024', SERVER_NAME, rsa1024Key);
    csr('client', 'device-1');
    leaf('server', 'ca', 'server');
    leaf('untrusted', 'other', 'server');
    leaf('client', 'ca', 'client');
    leaf('rsa1024', 'ca', 'server');
    leaf('sha1', 'ca', 'server', 'sha1');
    expired('expired', 'ca');
    expired('expired-untrusted', 'other');
    const pair = (name: string) => ({ cert: read(`${name}.crt`), key: read(`${name}.key`) });
    return {
      caCert: read('ca.crt'),
      server: pair('server'),
      untrustedServer: pair('untrusted'),
      expiredServer: pair('expired'),
      expiredUntrustedServer: pair('expired-untrusted'),
      client: pair('client'),
      rsa1024Server: pair('rsa1024'),
      sha1Server: pair('sha1'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
