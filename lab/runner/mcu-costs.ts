// What TLS cost the MCU process, measured when the app ends (docs/costs.md): Mbed TLS's own heap (the
// binding counts every calloc/free of the library), the handshakes Mbed TLS completed, and in offload
// mode the credential bytes handed to the stack. Sent to the runner with the result.
import { isMbedtlsAvailable } from '../../mcu/tls/mbedtls/addon.ts';
import { mbedtlsHeapStats } from '../../mcu/tls/mbedtls/heap.ts';
import { tlsCostTally } from '../../mcu/tls/tls-cost-tally.ts';

export interface McuCosts {
  /** the most Mbed TLS held at once in the process */
  mbedtlsHeapPeakBytes: number;
  /** what Mbed TLS still held when the app ended (0 once every TLS socket was destroyed) */
  mbedtlsHeapBytesAtEnd: number;
  /** Mbed TLS handshakes on the MCU (mbedtls mode) */
  handshakes: { full: number; resumed: number };
  /** offload mode: the largest CA + certificate + key bytes one socket passed through setsockopt */
  credentialBytesPerSocketMax: number;
}

export function measureMcuCosts(): McuCosts {
  // Without the binding (an offload-only install) Mbed TLS never ran: its heap is 0.
  const heap = isMbedtlsAvailable() ? mbedtlsHeapStats() : { peakBytes: 0, currentBytes: 0 };
  const tally = tlsCostTally();
  return {
    mbedtlsHeapPeakBytes: heap.peakBytes,
    mbedtlsHeapBytesAtEnd: heap.currentBytes,
    handshakes: tally.handshakes,
    credentialBytesPerSocketMax: tally.credentialBytesPerSocketMax,
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

export function isMcuCosts(value: unknown): value is McuCosts {
  return (
    isRecord(value) &&
    typeof value.mbedtlsHeapPeakBytes === 'number' &&
    typeof value.mbedtlsHeapBytesAtEnd === 'number' &&
    typeof value.credentialBytesPerSocketMax === 'number' &&
    isRecord(value.handshakes) &&
    typeof value.handshakes.full === 'number' &&
    typeof value.handshakes.resumed === 'number'
  );
}
