// pcapng blocks, written little-endian, as the PCAP Next Generation spec defines them (IETF
// draft-ietf-opsawg-pcapng, "Section Header Block", "Interface Description Block", "Enhanced Packet
// Block"; the same text as Wireshark's pcapng spec): every block is type, total length, body padded to
// 32 bits, total length again; options are code, length, value padded to 32 bits, ended by opt_endofopt.

const SHB_TYPE = 0x0a0d0d0a;
const IDB_TYPE = 0x00000001;
const EPB_TYPE = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const EPB_FLAGS = 2;

/** epb_flags bits 0-1: the packet's direction as seen from the interface. */
export const EPB_INBOUND = 1;
export const EPB_OUTBOUND = 2;

/** Link types (tcpdump.org "Link-layer header types"). */
export const LINKTYPE_RAW = 101;
export const LINKTYPE_WIRESHARK_UPPER_PDU = 252;

const pad4 = (n: number) => (4 - (n % 4)) % 4;

function option(code: number, value: Uint8Array): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(code, 0);
  head.writeUInt16LE(value.length, 2);
  return Buffer.concat([head, value, Buffer.alloc(pad4(value.length))]);
}

function options(list: Buffer[]): Buffer {
  return list.length === 0
    ? Buffer.alloc(0)
    : Buffer.concat([...list, option(OPT_ENDOFOPT, Buffer.alloc(0))]);
}

function block(type: number, body: Buffer): Buffer {
  const total = 12 + body.length + pad4(body.length);
  const out = Buffer.alloc(total);
  out.writeUInt32LE(type, 0);
  out.writeUInt32LE(total, 4);
  body.copy(out, 8);
  out.writeUInt32LE(total, total - 4);
  return out;
}

/** Section Header Block: version 1.0, section length unknown (-1). */
export function sectionHeader(application: string): Buffer {
  const fixed = Buffer.alloc(16);
  fixed.writeUInt32LE(BYTE_ORDER_MAGIC, 0);
  fixed.writeUInt16LE(1, 4);
  fixed.writeUInt16LE(0, 6);
  fixed.writeBigInt64LE(-1n, 8);
  return block(SHB_TYPE, Buffer.concat([fixed, options([option(SHB_USERAPPL, Buffer.from(application))])]));
}

export interface InterfaceDescription {
  linkType: number;
  name: string;
  description: string;
}

/** Interface Description Block with if_tsresol 6: timestamps count microseconds (the default, said). */
export function interfaceDescription(idb: InterfaceDescription): Buffer {
  const fixed = Buffer.alloc(8);
  fixed.writeUInt16LE(idb.linkType, 0);
  fixed.writeUInt32LE(0, 4); // snaplen: no limit
  return block(
    IDB_TYPE,
    Buffer.concat([
      fixed,
      options([
        option(IF_NAME, Buffer.from(idb.name)),
        option(IF_DESCRIPTION, Buffer.from(idb.description)),
        option(IF_TSRESOL, Buffer.from([6])),
      ]),
    ]),
  );
}

export interface PacketRecord {
  /** the index of its Interface Description Block */
  interfaceId: number;
  /** wall-clock milliseconds since 1970 (fractions down to the microsecond are kept) */
  timeMs: number;
  data: Uint8Array;
  /** EPB_INBOUND or EPB_OUTBOUND */
  direction?: number;
  comment?: string;
}

/** Enhanced Packet Block: a 64-bit microsecond timestamp split high/low, the whole packet captured. */
export function enhancedPacket(packet: PacketRecord): Buffer {
  const fixed = Buffer.alloc(20);
  const micros = BigInt(Math.round(packet.timeMs * 1000));
  fixed.writeUInt32LE(packet.interfaceId, 0);
  fixed.writeUInt32LE(Number(micros >> 32n), 4);
  fixed.writeUInt32LE(Number(micros & 0xffffffffn), 8);
  fixed.writeUInt32LE(packet.data.length, 12);
  fixed.writeUInt32LE(packet.data.length, 16);
  const opts: Buffer[] = [];
  if (packet.comment) opts.push(option(OPT_COMMENT, Buffer.from(packet.comment)));
  if (packet.direction) {
    const flags = Buffer.alloc(4);
    flags.writeUInt32LE(packet.direction, 0);
    opts.push(option(EPB_FLAGS, flags));
  }
  const data = Buffer.from(packet.data);
  return block(EPB_TYPE, Buffer.concat([fixed, data, Buffer.alloc(pad4(data.length)), options(opts)]));
}
