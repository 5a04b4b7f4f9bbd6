// One MCU socket's Mbed TLS heap (mcu/tls/tls-heap-account.ts) for TLS, mutual TLS, DTLS and mutual
// DTLS: the handshake peak and what stays held once the handshake is done. Counted per socket owner, so
// the lab DTLS server, which runs Mbed TLS in this process too (lab/dtls/dtls-server.ts), is not mixed in.
import { startDtlsServer } from '../lab/dtls/dtls-server.ts';
import type { Lab } from '../lab/servers/lab.ts';
import { setConfig } from '../mcu/mbed-config.ts';
import { DTLSSocket } from '../mcu/tls/dtls-socket.ts';
import { MBEDTLS_SSL_MAX_FRAG_LEN_1024 } from '../mcu/tls/mbedtls/index.ts';
import type { TlsHeapStats } from '../mcu/tls/tls-heap-account.ts';
import { MbedtlsTLSSocket } from '../mcu/tls/tls-socket-mbedtls.ts';
import { NSAPI_ERROR_OK } from '../shared/nsapi.ts';
import { SocketAddress } from '../shared/socket-address.ts';
import { median, type Rig, startRig } from './device-rig.ts';
import { type CostTable, markdownTable } from './markdown-table.ts';

const RUNS = 5;

function check(what: string, ret: number): void {
  if (ret !== NSAPI_ERROR_OK) throw new Error(`${what} returned ${ret}`);
}

async function tlsHeap(rig: Rig, lab: Lab, mutual: boolean): Promise<TlsHeapStats> {
  const server = lab.server(mutual ? 'tls-mtls-echo' : 'tls-echo');
  const sock = new MbedtlsTLSSocket();
  check('open', sock.open(rig.net));
  check('set_root_ca_cert', sock.set_root_ca_cert(lab.pki.caPem));
  if (mutual)
    check('set_client_cert_key', sock.set_client_cert_key(lab.pki.clientChainPem, lab.pki.clientKeyPem));
  sock.set_hostname(server.host);
  check('connect', await sock.connect(new SocketAddress(server.address, server.port)));
  const stats = sock.get_heap_stats();
  await sock.close();
  await sock.destroy();
  return stats;
}

async function dtlsHeap(rig: Rig, lab: Lab, mutual: boolean): Promise<TlsHeapStats> {
  const server = await startDtlsServer({ pki: lab.pki, requireClientCert: mutual });
  try {
    const sock = new DTLSSocket(rig.net, lab.pki.servers.echo.hostname);
    check('set_root_ca_cert', sock.set_root_ca_cert(lab.pki.caPem));
    if (mutual)
      check('set_client_cert_key', sock.set_client_cert_key(lab.pki.clientChainPem, lab.pki.clientKeyPem));
    // As test/mcu/tls/dtls-socket.test.ts: the server fragments its flight to ~1 KB datagrams (its
    // default, dtls-server-config.ts) and the client asks for the same limit.
    sock.get_ssl_config().setMaxFragLen(MBEDTLS_SSL_MAX_FRAG_LEN_1024);
    check('connect', await sock.connect(new SocketAddress('127.0.0.1', server.port)));
    const stats = sock.get_heap_stats();
    await sock.close();
    await sock.destroy();
    return stats;
  } finally {
    await server.close();
  }
}

export async function benchSocketHeap(lab: Lab): Promise<CostTable> {
  setConfig('nsapi.offload-tlssocket', false);
  const rig = await startRig({ kind: 'mock' }, lab.hosts);
  const kinds: [string, (rig: Rig) => Promise<TlsHeapStats>][] = [
    ['TLS', (r) => tlsHeap(r, lab, false)],
    ['mutual TLS', (r) => tlsHeap(r, lab, true)],
    ['DTLS (max_frag_len 1024)', (r) => dtlsHeap(r, lab, false)],
    ['mutual DTLS (max_frag_len 1024)', (r) => dtlsHeap(r, lab, true)],
  ];
  const rows: string[][] = [];
  const steadyOf = new Map<string, number>();
  try {
    for (const [label, run] of kinds) {
      const all: TlsHeapStats[] = [];
      for (let i = 0; i < RUNS; i++) all.push(await run(rig));
      const peak = median(all.map((s) => s.peakBytes));
      const steady = median(all.map((s) => s.afterHandshakeBytes ?? 0));
      steadyOf.set(label, steady);
      rows.push([
        label,
        `${peak}`,
        `${steady}`,
        `${peak - steady}`,
        `${median(all.map((s) => s.allocations))}`,
      ]);
    }
  } finally {
    await rig.close();
  }
  const [tls, mtls] = [steadyOf.get('TLS') ?? 0, steadyOf.get('mutual TLS') ?? 0];
  const table = markdownTable(
    [
      `socket (median of ${RUNS})`,
      'handshake peak B',
      'after handshake B',
      'handshake transient B',
      'Mbed TLS callocs to connected',
    ],
    rows,
  );
  return {
    table,
    notes: [`mutual TLS holds ${mtls - tls} B more than TLS once connected (the client chain and key)`],
  };
}
