// Key generation with Node's crypto (OpenSSL): forge's pure-JS RSA keygen takes seconds per key, this takes
// a fraction of one and runs on the thread pool, so several keys are made in parallel.
import { generateKeyPair, type KeyObject } from 'node:crypto';

export type KeyAlgorithm = { type: 'rsa'; bits: number } | { type: 'ec'; curve: 'P-256' };

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function createKeyPair(algorithm: KeyAlgorithm): Promise<KeyPair> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, publicKey: KeyObject, privateKey: KeyObject) =>
      error ? reject(error) : resolve({ publicKey, privateKey });
    if (algorithm.type === 'rsa') generateKeyPair('rsa', { modulusLength: algorithm.bits }, done);
    else generateKeyPair('ec', { namedCurve: algorithm.curve }, done);
  });
}

/**
 * The traditional PEM forms ("RSA PRIVATE KEY", "EC PRIVATE KEY"): every TLS stack a device might carry,
 * and the BG96's file store, accepts them.
 */
export function privateKeyToPem(key: KeyObject): string {
  const type = key.asymmetricKeyType === 'ec' ? 'sec1' : 'pkcs1';
  return key.export({ type, format: 'pem' }).toString();
}
