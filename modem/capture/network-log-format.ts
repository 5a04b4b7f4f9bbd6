// network.jsonl: what the modem's host sockets moved on the network side, recorded cheaply during every
// run so that `tlssim trace --pcap RUN_DIR` can always build a capture afterwards (lab/trace/pcap/).
// A header line, then one line per event:
//   {"t":<ms since 1970, µs resolution>,"conn":1,"ev":"open","proto":"tcp","local":"127.0.0.1:50000","remote":"127.0.0.1:4433","modemTls":true}
//   {"t":…,"conn":1,"ev":"up","data":"<base64>"}       device → network (for UDP also "peer")
//   {"t":…,"conn":1,"ev":"down","data":"<base64>"}     network → device
//   {"t":…,"conn":1,"ev":"fin","dir":"up"|"down"}      a TCP FIN from the modem (up) or the peer (down)
//   {"t":…,"conn":1,"ev":"close"}                      the host socket is gone
// `t` is wall-clock time (performance.timeOrigin + performance.now()), the same time base the UART
// trace's header gives as startedEpochMs, so UART and network events line up in one capture.
// The bytes are what the network carries: the TLS records of the modem's own TLS in offload mode,
// whatever the MCU sent through AT+QISEND otherwise.
export const NETWORK_LOG_FORMAT = 'tlssim-network-log';
export const NETWORK_LOG_VERSION = 1;
/** The environment variable naming the file (the runner sets it to the run's network.jsonl). */
export const NETWORK_LOG_ENV = 'TLSSIM_NETWORK_LOG';

export type NetworkProtocol = 'tcp' | 'udp';
export type NetworkDirection = 'up' | 'down';

export interface NetworkOpen {
  t: number;
  conn: number;
  ev: 'open';
  proto: NetworkProtocol;
  /** "address:port" (IPv6 addresses in brackets) */
  local: string;
  /** the connected peer; absent for an unconnected UDP socket (UDP SERVICE) */
  remote?: string;
  /** the modem runs TLS on it itself (AT+QSSLOPEN) */
  modemTls?: boolean;
}

export interface NetworkData {
  t: number;
  conn: number;
  ev: NetworkDirection;
  /** base64 */
  data: string;
  /** UDP: the datagram's other end (the destination up, the source down) */
  peer?: string;
}

export interface NetworkFin {
  t: number;
  conn: number;
  ev: 'fin';
  dir: NetworkDirection;
}

export interface NetworkClose {
  t: number;
  conn: number;
  ev: 'close';
}

export type NetworkEvent = NetworkOpen | NetworkData | NetworkFin | NetworkClose;

/** "address:port", IPv6 in brackets as in a URL; IPv4-mapped IPv6 addresses as plain IPv4. */
export function formatEndpoint(address: string, port: number): string {
  const plain =
    address.toLowerCase().startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
  return plain.includes(':') ? `[${plain}]:${port}` : `${plain}:${port}`;
}

export function parseEndpoint(text: string): { address: string; port: number } {
  const match = /^\[?([^\]]*)\]?:(\d+)$/.exec(text);
  if (!match) throw new Error(`not an address:port: ${text}`);
  return { address: match[1], port: Number(match[2]) };
}
