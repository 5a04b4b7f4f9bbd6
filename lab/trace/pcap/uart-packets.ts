// The UART as a second capture interface. Each trace chunk becomes one packet of link type
// LINKTYPE_WIRESHARK_UPPER_PDU (252): an exported-PDU header whose tag names the dissector Wireshark
// should use, here Wireshark's AT command dissector ("at"), so the packet list reads "Sent AT Command:
// AT+QSSLOPEN=…" / "Rcvd AT Command: OK"; binary data phases show escaped, their bytes in the hex pane.
// Sent/Rcvd come from the epb_flags direction, from the MCU's side: tx (MCU → modem) outbound, rx
// (modem → MCU) inbound; each packet's comment says it in words. Tags are big-endian type, length,
// value padded to 4 bytes, ended by tag 0 (Wireshark's wsutil/exported_pdu_tlvs.h,
// EXP_PDU_TAG_DISSECTOR_NAME = 12).
import type { TraceChunk } from '../../../shared/trace/trace-format.ts';
import { EPB_INBOUND, EPB_OUTBOUND, type PacketRecord } from './pcapng-blocks.ts';

const EXP_PDU_TAG_END_OF_OPT = 0;
const EXP_PDU_TAG_DISSECTOR_NAME = 12;
/** The dissector the UART bytes go to (Wireshark's "AT Command" protocol). */
export const UART_DISSECTOR = 'at';

function tag(type: number, value: Buffer): Buffer {
  const padded = Buffer.alloc(4 + value.length + ((4 - (value.length % 4)) % 4));
  padded.writeUInt16BE(type, 0);
  padded.writeUInt16BE(padded.length - 4, 2);
  value.copy(padded, 4);
  return padded;
}

const HEADER = Buffer.concat([
  tag(EXP_PDU_TAG_DISSECTOR_NAME, Buffer.from(UART_DISSECTOR)),
  tag(EXP_PDU_TAG_END_OF_OPT, Buffer.alloc(0)),
]);

/** Trace chunks as packets on `interfaceId`, at startedEpochMs + t. */
export function uartPackets(
  chunks: readonly TraceChunk[],
  startedEpochMs: number,
  interfaceId: number,
): PacketRecord[] {
  return chunks.map((chunk) => ({
    interfaceId,
    timeMs: startedEpochMs + chunk.t,
    data: Buffer.concat([HEADER, Buffer.from(chunk.data)]),
    direction: chunk.dir === 'tx' ? EPB_OUTBOUND : EPB_INBOUND,
    comment: chunk.dir === 'tx' ? 'UART tx: MCU → modem' : 'UART rx: modem → MCU',
  }));
}
