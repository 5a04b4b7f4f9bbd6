// Key logging for Mbed TLS (mbedtls mode): the config's export-keys callback
// (mbedtls_ssl_conf_export_keys_ext_cb, Mbed TLS 2.28 ssl.h) writes one NSS key log line per handshake
// to the file SSLKEYLOGFILE names (shared/nss-key-log.ts), so Wireshark can decrypt the run's capture.
// Installed only when a key log is asked for: a device build has no such hook.
import { appendKeyLogLine, clientRandomLine, keyLogFile } from '../../shared/nss-key-log.ts';
import type { SslConfig } from './mbedtls/ssl-config.ts';

/** Mbed TLS hands over the master secret and both randoms; the server random is not needed for NSS. */
function logSession(masterSecret: Buffer, clientRandom: Buffer): void {
  try {
    appendKeyLogLine(clientRandomLine(clientRandom, masterSecret));
  } catch {
    // A key log that cannot be written costs the decryption, never the handshake.
  }
}

/** Adds the key log hook to a config when SSLKEYLOGFILE is set (removes it otherwise). */
export function installKeyLog(conf: SslConfig): void {
  conf.setExportKeys(keyLogFile() ? logSession : null);
}
