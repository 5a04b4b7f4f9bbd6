// How a credential on the UART is shown. A private key crossing the UART is the alarm (it lets anyone
// on the wire impersonate the device); a certificate — the CA the modem trusts, the client's own — is
// public by design, so it is noted, not alarmed.
import type { SecretKind } from './secret-scan.ts';

export function secretMark(kind: SecretKind): string {
  return kind === 'private-key' ? '⚠ PRIVATE KEY' : 'ℹ certificate (public)';
}

/** The report's badge class: red for a key, neutral for a certificate. */
export function secretBadgeClass(kind: SecretKind): string {
  return kind === 'private-key' ? 'secret' : 'cert';
}
