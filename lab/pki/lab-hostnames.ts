// The names the lab's servers answer to. `.test` is reserved (RFC 6761): no real resolver answers for it,
// so these names can only reach the lab, through the hosts table the runner hands to the modem.

export const LAB_DOMAIN = 'tlssim.test';

/** Every lab server listens on loopback only. */
export const LAB_ADDRESS = '127.0.0.1';

/** `<label>.tlssim.test`. */
export function labHostname(label: string): string {
  return `${label}.${LAB_DOMAIN}`;
}
