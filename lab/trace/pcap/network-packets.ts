// The modem's network side as IPv4 packets: each recorded TCP connection through TcpFlow, each UDP
// datagram as one packet. IPv6 connections (never made by the lab, which listens on 127.0.0.1) are
// counted and left out rather than half-drawn.
import {
  type NetworkEvent,
  type NetworkOpen,
  parseEndpoint,
} from '../../../modem/capture/network-log-format.ts';
import { isIpv4, udpPacket } from './ip-packets.ts';
import { type FlowPacket, TcpFlow } from './tcp-flow.ts';

export interface NetworkPackets {
  packets: FlowPacket[];
  /** connections left out (not IPv4) */
  skipped: number;
}

export function networkPackets(events: readonly NetworkEvent[]): NetworkPackets {
  const opens = new Map<number, NetworkOpen>();
  const flows = new Map<number, TcpFlow>();
  const packets: FlowPacket[] = [];
  const skipped = new Set<number>();
  for (const event of events) {
    if (event.ev === 'open') {
      const local = parseEndpoint(event.local);
      const remote = event.remote ? parseEndpoint(event.remote) : undefined;
      if (!isIpv4(local.address) || (remote && !isIpv4(remote.address))) {
        skipped.add(event.conn);
        continue;
      }
      opens.set(event.conn, event);
      if (event.proto === 'tcp' && remote)
        flows.set(event.conn, new TcpFlow(event.conn, local, remote, event.t));
      continue;
    }
    const open = opens.get(event.conn);
    if (!open) continue;
    const flow = flows.get(event.conn);
    if (flow) {
      if (event.ev === 'up' || event.ev === 'down')
        flow.data(event.t, event.ev === 'up', Buffer.from(event.data, 'base64'));
      else if (event.ev === 'fin') flow.fin(event.t, event.dir === 'up');
      else flow.close(event.t);
      continue;
    }
    if (open.proto === 'udp' && (event.ev === 'up' || event.ev === 'down')) {
      const local = parseEndpoint(open.local);
      const peerText = event.peer ?? open.remote;
      if (!peerText) continue;
      const peer = parseEndpoint(peerText);
      if (!isIpv4(peer.address)) continue;
      const up = event.ev === 'up';
      const data = up
        ? udpPacket(
            { src: local.address, dst: peer.address },
            local.port,
            peer.port,
            Buffer.from(event.data, 'base64'),
          )
        : udpPacket(
            { src: peer.address, dst: local.address },
            peer.port,
            local.port,
            Buffer.from(event.data, 'base64'),
          );
      packets.push({ timeMs: event.t, data, up });
    }
  }
  for (const flow of flows.values()) packets.push(...flow.packets);
  return { packets, skipped: skipped.size };
}
