// One key log for a run, in the NSS key log format Wireshark reads ("NSS Key Log Format", NSS docs
// security/nss/doc/rst/legacy/key_log_format; draft-ietf-tls-keylogfile): `CLIENT_RANDOM <64 hex>
// <96 hex>` per TLS 1.2 / DTLS 1.2 session, the client random naming the session and the master secret
// decrypting it. Both processes write it: the MCU from Mbed TLS (mbedtls mode), the modem from OpenSSL
// (offload mode). Like NSS and OpenSSL's tools, the file comes from the SSLKEYLOGFILE environment
// variable; the runner sets it to the run's keys.log.
import { appendFileSync } from 'node:fs';

export const KEY_LOG_ENV = 'SSLKEYLOGFILE';

/** `CLIENT_RANDOM <client random> <master secret>`, hex, without the newline. */
export function clientRandomLine(clientRandom: Uint8Array, masterSecret: Uint8Array): string {
  return `CLIENT_RANDOM ${Buffer.from(clientRandom).toString('hex')} ${Buffer.from(masterSecret).toString('hex')}`;
}

/** The key log file in force: SSLKEYLOGFILE, read at each call so a test (or the runner) can set it. */
export function keyLogFile(): string | undefined {
  const file = process.env[KEY_LOG_ENV];
  return file ? file : undefined;
}

/**
 * Appends one line (a line of OpenSSL's keylog event already ends in a newline). One synchronous append
 * per handshake: O_APPEND keeps the two processes' lines whole, and a process the runner kills has
 * lost nothing.
 */
export function appendKeyLogLine(line: string): void {
  const file = keyLogFile();
  if (!file) return;
  appendFileSync(file, line.endsWith('\n') ? line : `${line}\n`);
}
