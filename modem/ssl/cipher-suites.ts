/**
 * The cipher suite ids AT+QSSLCFG="ciphersuite" accepts (the BG96 SSL manual's list, plus the GCM and
 * ChaCha20 suites of newer firmware), as IANA numbers mapped to OpenSSL names. 0xFFFF means "all":
 * OpenSSL's default list. Suites OpenSSL 3 no longer builds (RC4, static ECDH) stay accepted by the
 * command but make the open fail with 555 (not supported), as a modem without them would.
 */
export const ALL_CIPHER_SUITES = 0xffff;

export const CIPHER_SUITES: ReadonlyMap<number, string> = new Map([
  [0x0004, 'RC4-MD5'],
  [0x0005, 'RC4-SHA'],
  [0x000a, 'DES-CBC3-SHA'],
  [0x002f, 'AES128-SHA'],
  [0x0035, 'AES256-SHA'],
  [0x003c, 'AES128-SHA256'],
  [0x003d, 'AES256-SHA256'],
  [0x009c, 'AES128-GCM-SHA256'],
  [0x009d, 'AES256-GCM-SHA384'],
  [0x00ae, 'PSK-AES128-CBC-SHA256'],
  [0xc002, 'ECDH-ECDSA-RC4-SHA'],
  [0xc003, 'ECDH-ECDSA-DES-CBC3-SHA'],
  [0xc004, 'ECDH-ECDSA-AES128-SHA'],
  [0xc005, 'ECDH-ECDSA-AES256-SHA'],
  [0xc007, 'ECDHE-ECDSA-RC4-SHA'],
  [0xc008, 'ECDHE-ECDSA-DES-CBC3-SHA'],
  [0xc009, 'ECDHE-ECDSA-AES128-SHA'],
  [0xc00a, 'ECDHE-ECDSA-AES256-SHA'],
  [0xc00c, 'ECDH-RSA-RC4-SHA'],
  [0xc00d, 'ECDH-RSA-DES-CBC3-SHA'],
  [0xc00e, 'ECDH-RSA-AES128-SHA'],
  [0xc00f, 'ECDH-RSA-AES256-SHA'],
  [0xc011, 'ECDHE-RSA-RC4-SHA'],
  [0xc012, 'ECDHE-RSA-DES-CBC3-SHA'],
  [0xc013, 'ECDHE-RSA-AES128-SHA'],
  [0xc014, 'ECDHE-RSA-AES256-SHA'],
  [0xc023, 'ECDHE-ECDSA-AES128-SHA256'],
  [0xc024, 'ECDHE-ECDSA-AES256-SHA384'],
  [0xc025, 'ECDH-ECDSA-AES128-SHA256'],
  [0xc026, 'ECDH-ECDSA-AES256-SHA384'],
  [0xc027, 'ECDHE-RSA-AES128-SHA256'],
  [0xc028, 'ECDHE-RSA-AES256-SHA384'],
  [0xc029, 'ECDH-RSA-AES128-SHA256'],
  [0xc02a, 'ECDH-RSA-AES256-SHA384'],
  [0xc02b, 'ECDHE-ECDSA-AES128-GCM-SHA256'],
  [0xc02c, 'ECDHE-ECDSA-AES256-GCM-SHA384'],
  [0xc02f, 'ECDHE-RSA-AES128-GCM-SHA256'],
  [0xc030, 'ECDHE-RSA-AES256-GCM-SHA384'],
  [0xc0a8, 'PSK-AES128-CCM8'],
  [0xcca8, 'ECDHE-RSA-CHACHA20-POLY1305'],
  [0xcca9, 'ECDHE-ECDSA-CHACHA20-POLY1305'],
]);

/** `0X0035` — the modem's spelling in query answers. */
export function formatSuiteId(id: number): string {
  return `0X${id.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Parses `0xFFFF`, `0X0035` or a list `0X0035;0X002F` (also `:` or `,` separated inside quotes).
 * Returns undefined for anything that is not a known id, or ALL mixed with others.
 */
export function parseSuiteList(text: string): number[] | undefined {
  const parts = text.split(/[;:,]/).map((part) => part.trim());
  const ids: number[] = [];
  for (const part of parts) {
    if (!/^0x[0-9a-f]{1,4}$/i.test(part)) return undefined;
    const id = Number.parseInt(part.slice(2), 16);
    if (id !== ALL_CIPHER_SUITES && !CIPHER_SUITES.has(id)) return undefined;
    ids.push(id);
  }
  if (ids.includes(ALL_CIPHER_SUITES) && ids.length > 1) return undefined;
  return ids;
}
