// The length rules of the two set_root_ca_cert(const char*) variants: Mbed TLS counts the NUL
// (strlen + 1, which its PEM parser requires); the offloaded TLSSocket sends strlen bytes.
export type PemOrDer = string | Uint8Array;

/** The bytes of a C string up to (not including) its first NUL: what strlen measures. */
export function strlenBytes(text: string): Uint8Array {
  const bytes = Buffer.from(text, 'utf8');
  const nul = bytes.indexOf(0);
  return new Uint8Array(nul >= 0 ? bytes.subarray(0, nul) : bytes);
}

/** strlen + 1 bytes: the string and its terminating NUL. */
export function cStringOf(text: string): Uint8Array {
  const body = strlenBytes(text);
  const out = new Uint8Array(body.length + 1);
  out.set(body);
  return out;
}
