// IPv4 packets with TCP or UDP inside, checksums computed as RFC 791 (header), RFC 793 and RFC 768 (the
// pseudo-header sum) define them, so Wireshark's checksum validation, when turned on, finds them good.

const IPV4_HEADER = 20;
const TCP_HEADER = 20;
const UDP_HEADER = 8;
const PROTO_TCP = 6;
const PROTO_UDP = 17;

export const TCP_FLAG = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;

/** The one's-complement sum of 16-bit words, folded, not inverted. */
function sum16(bytes: Uint8Array, initial = 0): number {
  let sum = initial;
  for (let i = 0; i + 1 < bytes.length; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (bytes.length % 2 === 1) sum += bytes[bytes.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

function ipv4Bytes(address: string): Buffer {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) throw new Error(`not IPv4: ${address}`);
  return Buffer.from(parts);
}

export interface Ipv4Ends {
  src: string;
  dst: string;
}

function ipv4(ends: Ipv4Ends, protocol: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(IPV4_HEADER);
  header[0] = 0x45; // version 4, 5 words
  header.writeUInt16BE(IPV4_HEADER + payload.length, 2);
  // Identification 0 with don't-fragment: an atomic datagram needs no unique id (RFC 6864).
  header.writeUInt16BE(0x4000, 6);
  header[8] = 64; // TTL
  header[9] = protocol;
  ipv4Bytes(ends.src).copy(header, 12);
  ipv4Bytes(ends.dst).copy(header, 16);
  header.writeUInt16BE(~sum16(header) & 0xffff, 10);
  return Buffer.concat([header, payload]);
}

/** The transport checksum over the pseudo-header (src, dst, zero, protocol, length) and the segment. */
function transportChecksum(ends: Ipv4Ends, protocol: number, segment: Buffer): number {
  const pseudo = Buffer.alloc(12);
  ipv4Bytes(ends.src).copy(pseudo, 0);
  ipv4Bytes(ends.dst).copy(pseudo, 4);
  pseudo[9] = protocol;
  pseudo.writeUInt16BE(segment.length, 10);
  return ~sum16(segment, sum16(pseudo)) & 0xffff;
}

export interface TcpSegment {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  payload?: Uint8Array;
}

/** One IPv4 TCP segment; a window of 65535, no options. */
export function tcpPacket(ends: Ipv4Ends, segment: TcpSegment): Buffer {
  const payload = Buffer.from(segment.payload ?? []);
  const tcp = Buffer.alloc(TCP_HEADER + payload.length);
  tcp.writeUInt16BE(segment.srcPort, 0);
  tcp.writeUInt16BE(segment.dstPort, 2);
  tcp.writeUInt32BE(segment.seq >>> 0, 4);
  tcp.writeUInt32BE(segment.flags & TCP_FLAG.ACK ? segment.ack >>> 0 : 0, 8);
  tcp[12] = (TCP_HEADER / 4) << 4;
  tcp[13] = segment.flags;
  tcp.writeUInt16BE(0xffff, 14);
  payload.copy(tcp, TCP_HEADER);
  tcp.writeUInt16BE(transportChecksum(ends, PROTO_TCP, tcp), 16);
  return ipv4(ends, PROTO_TCP, tcp);
}

/** One IPv4 UDP datagram (a computed checksum of 0 is sent as 0xffff, RFC 768). */
export function udpPacket(ends: Ipv4Ends, srcPort: number, dstPort: number, payload: Uint8Array): Buffer {
  const udp = Buffer.alloc(UDP_HEADER + payload.length);
  udp.writeUInt16BE(srcPort, 0);
  udp.writeUInt16BE(dstPort, 2);
  udp.writeUInt16BE(udp.length, 4);
  Buffer.from(payload).copy(udp, UDP_HEADER);
  udp.writeUInt16BE(transportChecksum(ends, PROTO_UDP, udp) || 0xffff, 6);
  return ipv4(ends, PROTO_UDP, udp);
}

export function isIpv4(address: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(address);
}
