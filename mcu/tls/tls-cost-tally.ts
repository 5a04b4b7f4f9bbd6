// What TLS cost this MCU process, for the run's cost report (docs/costs.md): the handshakes Mbed TLS
// completed (full or resumed), and in offload mode the credential bytes the application handed to the
// network stack with setsockopt (its only TLS memory: the TLS state lives in the modem).

export interface TlsCostTally {
  /** Mbed TLS handshakes completed on the MCU */
  handshakes: { full: number; resumed: number };
  /** offload: the CA, certificate and key bytes passed through setsockopt, largest for one socket */
  credentialBytesPerSocketMax: number;
}

const tally: TlsCostTally = { handshakes: { full: 0, resumed: 0 }, credentialBytesPerSocketMax: 0 };

export function countHandshake(resumed: boolean): void {
  if (resumed) tally.handshakes.resumed++;
  else tally.handshakes.full++;
}

export function countCredentialBytes(bytesForOneSocket: number): void {
  tally.credentialBytesPerSocketMax = Math.max(tally.credentialBytesPerSocketMax, bytesForOneSocket);
}

export function tlsCostTally(): TlsCostTally {
  return {
    handshakes: { ...tally.handshakes },
    credentialBytesPerSocketMax: tally.credentialBytesPerSocketMax,
  };
}
