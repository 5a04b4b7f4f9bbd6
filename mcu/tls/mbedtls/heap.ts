// Mbed TLS's own heap, counted exactly: the binding interposes calloc/free in libmbedtls, libmbedx509
// and libmbedcrypto (native/heap_accounting.cc) and attributes each block to the owner that was current
// when Mbed TLS allocated it. TLSSocketWrapper gives every socket an owner id; its Mbed TLS objects carry
// it (`heapOwner`) into each call that may allocate. docs/costs.md says how the figures are measured.
import { loadMbedtlsAddon } from './addon.ts';

export interface MbedtlsHeapStats {
  /** bytes Mbed TLS holds now (sum of the live calloc sizes) */
  currentBytes: number;
  /** the most it held at once since the owner appeared (or since resetPeak) */
  peakBytes: number;
  allocations: number;
  frees: number;
  /** callocs that returned NULL (Mbed TLS then took its own error path) */
  failedAllocations: number;
}

/** Blocks allocated while no owner was current (e.g. a user's own X509Crt). */
export const UNATTRIBUTED_HEAP_OWNER = 0;

let nextOwner = 1;

/** A fresh owner id for one socket's Mbed TLS objects. */
export function newHeapOwner(): number {
  return nextOwner++;
}

/** The owner's Mbed TLS heap, or the whole process's without an owner. */
export function mbedtlsHeapStats(owner?: number): MbedtlsHeapStats {
  return loadMbedtlsAddon().heap.stats(owner);
}

/** Restarts the owner's (or the process's) peak from its current bytes, to measure one phase. */
export function mbedtlsHeapResetPeak(owner?: number): void {
  loadMbedtlsAddon().heap.resetPeak(owner);
}

/** How many of the three Mbed TLS libraries are counted (3: the accounting is whole). */
export function mbedtlsHeapLibrariesHooked(): number {
  return loadMbedtlsAddon().heap.librariesHooked();
}

/** Runs one synchronous Mbed TLS call with its allocations attributed to `owner`. */
export function attributedTo<T>(owner: number, call: () => T): T {
  const heap = loadMbedtlsAddon().heap;
  const previous = heap.setOwner(owner);
  try {
    return call();
  } finally {
    heap.setOwner(previous);
  }
}
