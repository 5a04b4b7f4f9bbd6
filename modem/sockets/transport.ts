/**
 * What a modem socket needs from the host side: a TCP connection, a UDP endpoint or a TLS session
 * (host/*). The modem socket owns the AT-visible state; the transport only moves bytes.
 */
export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

export interface Transport {
  /**
   * Hands bytes to the host stack. Resolves false when the send buffer is full (the modem answers
   * SEND FAIL); rejects when the host socket is broken. `to` is the destination for UDP SERVICE.
   */
  send(data: Buffer, to?: Endpoint): Promise<boolean>;
  /** Bytes accepted but not yet handed to the kernel (the "unacked" of AT+QISEND=<id>,0). */
  readonly unacked: number;
  /** The host socket's own local port. */
  readonly localPort: number;
  /** For the log, e.g. the negotiated TLS version and cipher. */
  readonly description?: string;
  /** Graceful close (FIN, close_notify) bounded by `timeoutMs`, then forced. */
  close(timeoutMs: number): Promise<void>;
  /** Immediate close, no waiting. */
  destroy(): void;
}

/** Callbacks from a transport to its modem socket. */
export interface TransportEvents {
  data(bytes: Buffer, from?: Endpoint): void;
  /** The peer closed or the connection broke. Called at most once. */
  closed(reason: string): void;
}

/** An open that failed with a Quectel result code (the `<err>` of +QIOPEN / +QSSLOPEN). */
export class OpenFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
