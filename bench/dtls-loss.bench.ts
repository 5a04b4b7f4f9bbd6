// Issue 6's figures: DTLS handshake time through the modem's UDP socket with no loss, 10 % and 25 %
// loss (median and worst of a seeded batch), and the datagrams each handshake needed.
import { startDtlsServer } from '../lab/dtls/dtls-server.ts';
import { startFaultProxy } from '../lab/faults/datagram-fault-proxy.ts';
import type { Lab } from '../lab/servers/lab.ts';
import { DTLSSocket } from '../mcu/tls/dtls-socket.ts';
import { NSAPI_ERROR_OK } from '../shared/nsapi.ts';
import { SocketAddress } from '../shared/socket-address.ts';
import type { Row } from './at-and-echo.bench.ts';
import { median, type Rig, startRig } from './device-rig.ts';

/** Retransmission timeouts for the batch (Mbed TLS's defaults are 1 s..60 s, which makes 25 % loss slow). */
const TIMEOUT: [number, number] = [250, 16_000];
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

interface Handshake {
  ms: number;
  datagrams: number;
  ok: boolean;
}

async function handshake(rig: Rig, lab: Lab, drop: number, seed: number): Promise<Handshake> {
  const server = await startDtlsServer({
    pki: lab.pki,
    handshakeTimeout: { minMs: TIMEOUT[0], maxMs: TIMEOUT[1] },
  });
  const proxy = await startFaultProxy({
    target: { port: server.port },
    faults: drop ? { seed, drop } : { seed },
  });
  try {
    const sock = new DTLSSocket(rig.net, lab.pki.servers.echo.hostname);
    sock.set_root_ca_cert(lab.pki.caPem);
    sock.get_ssl_config().setHandshakeTimeout(...TIMEOUT);
    const started = performance.now();
    const ret = await sock.connect(new SocketAddress('127.0.0.1', proxy.port));
    const ms = performance.now() - started;
    const datagrams = proxy.stats.toServer.received + proxy.stats.toClient.received;
    await sock.close();
    return { ms, datagrams, ok: ret === NSAPI_ERROR_OK };
  } finally {
    await proxy.close();
    await server.close();
  }
}

export async function benchDtlsLoss(lab: Lab): Promise<Row[]> {
  const rows: Row[] = [];
  const rig = await startRig({ kind: 'tcp', baud: null }, lab.hosts);
  try {
    let baseline = 0;
    for (const [label, drop] of [
      ['no loss', 0],
      ['10 % loss', 10],
      ['25 % loss', 4],
    ] as const) {
      const runs: Handshake[] = [];
      for (const seed of SEEDS) runs.push(await handshake(rig, lab, drop, seed));
      const done = runs.filter((r) => r.ok);
      const med = median(done.map((r) => r.ms));
      if (drop === 0) baseline = med;
      rows.push({
        figure: `DTLS handshake, ${label} (median / worst of ${SEEDS.length} seeds)`,
        value: `${med.toFixed(0)} / ${Math.max(...done.map((r) => r.ms)).toFixed(0)} ms`,
        ratio: `${(med / baseline).toFixed(2)}× no loss; ${done.length}/${runs.length} completed`,
      });
      rows.push({
        figure: `  datagrams per handshake, ${label} (median / worst)`,
        value: `${median(done.map((r) => r.datagrams))} / ${Math.max(...done.map((r) => r.datagrams))}`,
      });
    }
  } finally {
    await rig.close();
  }
  rows.push({
    figure: `  (retransmission timeouts ${TIMEOUT[0]} ms doubling to ${TIMEOUT[1]} ms, UART unpaced)`,
    value: '',
  });
  return rows;
}
