// Finds credentials crossing the UART: PEM blocks in any clear bytes (a QFUPL upload, or plaintext on
// a socket), and uploads whose file name says what they hold when their content is not PEM.

export type SecretKind = 'private-key' | 'certificate';

export interface PemBlock {
  kind: SecretKind;
  /** The PEM label: `RSA PRIVATE KEY`, `CERTIFICATE`… */
  label: string;
  /** Offset of `-----BEGIN` within the scanned bytes. */
  offset: number;
}

const BEGIN = /-----BEGIN ([A-Z0-9 ]+)-----/g;

export function pemKind(label: string): SecretKind | undefined {
  if (/PRIVATE KEY$/.test(label)) return 'private-key';
  if (/^(X509 |TRUSTED )?CERTIFICATE$/.test(label)) return 'certificate';
  return undefined;
}

export function findPemBlocks(bytes: Buffer): PemBlock[] {
  const blocks: PemBlock[] = [];
  const text = bytes.toString('latin1');
  for (const match of text.matchAll(BEGIN)) {
    const kind = pemKind(match[1]);
    if (kind) blocks.push({ kind, label: match[1], offset: match.index });
  }
  return blocks;
}

/** What an upload without PEM markers holds, judged by its name (Mbed OS uses client.key, clcert.pem). */
export function kindFromFileName(file: string): SecretKind | undefined {
  const name = file.replace(/^UFS:/i, '').toLowerCase();
  if (/\.key$|key/.test(name)) return 'private-key';
  if (/\.(pem|crt|cer|der)$|cert/.test(name)) return 'certificate';
  return undefined;
}
