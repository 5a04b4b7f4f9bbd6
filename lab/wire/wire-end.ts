// One side of the wire: where a UART end's transmitted bytes come out and its received bytes go in.
export interface WireEnd {
  /** Registers the listener for bytes this end transmits. */
  onBytes(listener: (bytes: Uint8Array) => void): void;
  /** Puts bytes on this end's receive line. */
  deliver(bytes: Uint8Array): void;
  /** Called when the end goes away (process exit, socket closed). */
  onClose(listener: () => void): void;
  close(): void;
}
