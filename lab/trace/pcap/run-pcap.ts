// A run's capture, network.pcapng, built from what every run records: the modem's host sockets
// (network.jsonl) as interface 0 (LINKTYPE_RAW, IPv4), the UART (uart.jsonl) as interface 1. Both
// carry wall-clock times from one base (the trace header's startedEpochMs), so the packets of both
// interfaces interleave as they happened. Decrypt it with the run's keys.log (docs: README, "Debugging
// in Wireshark").
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { log } from '../../../shared/log.ts';
import { readTrace } from '../../../shared/trace/trace-reader.ts';
import { readNetworkLog } from './network-log-reader.ts';
import { networkPackets } from './network-packets.ts';
import {
  EPB_INBOUND,
  EPB_OUTBOUND,
  enhancedPacket,
  interfaceDescription,
  LINKTYPE_RAW,
  LINKTYPE_WIRESHARK_UPPER_PDU,
  type PacketRecord,
  sectionHeader,
} from './pcapng-blocks.ts';
import { RUN_FILES } from './run-capture-files.ts';
import { uartPackets } from './uart-packets.ts';

const NETWORK_INTERFACE = 0;
const UART_INTERFACE = 1;

export interface RunPcap {
  file: string;
  networkPackets: number;
  uartPackets: number;
  /** connections left out (not IPv4) */
  skippedConnections: number;
}

/** Writes RUN_DIR/network.pcapng; throws when the run has neither a network log nor a trace. */
export function writeRunPcap(runDir: string): RunPcap {
  const networkFile = join(runDir, RUN_FILES.networkLog);
  const traceFile = join(runDir, RUN_FILES.trace);
  if (!existsSync(networkFile) && !existsSync(traceFile)) {
    throw new Error(`${runDir}: neither ${RUN_FILES.networkLog} nor ${RUN_FILES.trace}: not a run folder`);
  }
  const network = existsSync(networkFile)
    ? networkPackets(readNetworkLog(networkFile))
    : { packets: [], skipped: 0 };
  const records: PacketRecord[] = network.packets.map((p) => ({
    interfaceId: NETWORK_INTERFACE,
    timeMs: p.timeMs,
    data: p.data,
    direction: p.up ? EPB_OUTBOUND : EPB_INBOUND,
  }));
  let uartCount = 0;
  if (existsSync(traceFile)) {
    const trace = readTrace(traceFile);
    const start = trace.header.startedEpochMs ?? Date.parse(trace.header.started);
    const uart = uartPackets(trace.chunks, start, UART_INTERFACE);
    uartCount = uart.length;
    records.push(...uart);
  }
  // One timeline: a stable sort keeps each interface's own order where times are equal.
  records.sort((a, b) => a.timeMs - b.timeMs);
  const blocks = [
    sectionHeader('tlssim'),
    interfaceDescription({
      linkType: LINKTYPE_RAW,
      name: 'modem-network',
      description: "the modem's host sockets (network side), IPv4; TCP segments synthesised from the bytes",
    }),
    interfaceDescription({
      linkType: LINKTYPE_WIRESHARK_UPPER_PDU,
      name: 'uart',
      description: 'the MCU–modem UART; outbound = MCU → modem (tx), inbound = modem → MCU (rx)',
    }),
    ...records.map(enhancedPacket),
  ];
  const file = join(runDir, RUN_FILES.pcap);
  writeFileSync(file, Buffer.concat(blocks));
  return {
    file,
    networkPackets: network.packets.length,
    uartPackets: uartCount,
    skippedConnections: network.skipped,
  };
}

/** For the runner: the capture's path, or undefined with a warning (a failed capture fails no run). */
export function runPcapOrWarn(runDir: string): string | undefined {
  try {
    return writeRunPcap(runDir).file;
  } catch (error) {
    log.child('runner').warn(`${runDir}: no ${RUN_FILES.pcap}: ${(error as Error).message}`);
    return undefined;
  }
}
