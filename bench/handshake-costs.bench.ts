// What one TLS connect costs in each placement, full and resumed (the issue "What each placement costs",
// item 4): bytes over the air (the modem's air ledger, modem/air/air-ledger.ts), UART bytes, the MCU's
// Mbed TLS heap peak (mcu/tls/tls-heap-account.ts) and connect time, on the in-process device with the
// BG96 on the mock UART. Resumption follows scenarios/session-resumption.ts: mbedtls mode saves the
// session with get_session / set_session; offload mode lets the modem keep it (AT+QSSLCFG="session").
import type { Mode } from '../lab/scenario/scenario-types.ts';
import type { Lab } from '../lab/servers/lab.ts';
import { setConfig } from '../mcu/mbed-config.ts';
import { SslSession } from '../mcu/tls/mbedtls/index.ts';
import { MbedtlsTLSSocket } from '../mcu/tls/tls-socket-mbedtls.ts';
import { OffloadTLSSocket } from '../mcu/tls/tls-socket-offload.ts';
import type { AirConnection } from '../modem/air/air-ledger.ts';
import { NSAPI_ERROR_OK } from '../shared/nsapi.ts';
import { SocketAddress } from '../shared/socket-address.ts';
import { median, type Rig, startRig } from './device-rig.ts';
import { type CostTable, markdownTable } from './markdown-table.ts';

export const HANDSHAKE_RUNS = 7;

interface ConnectCost {
  air: AirConnection;
  uartSetup: number;
  uartTx: number;
  uartRx: number;
  /** mbedtls: the socket's Mbed TLS heap peak; offload: 0 */
  heapPeak: number;
  /** offload: CA/certificate/key bytes passed through setsockopt; mbedtls: 0 */
  credentialBytes: number;
  ms: number;
  resumed: boolean;
}

/** One connect and close on a fresh socket; `session` is offered (mbedtls) or saved after a full one. */
async function connectOnce(
  rig: Rig,
  lab: Lab,
  mode: Mode,
  session: SslSession | null,
  offer: boolean,
): Promise<ConnectCost> {
  const server = lab.server('tls-echo');
  const address = new SocketAddress(server.address, server.port);
  const before = { ...rig.uart };
  let sock: MbedtlsTLSSocket | OffloadTLSSocket;
  if (mode === 'mbedtls') {
    const s = new MbedtlsTLSSocket();
    check('open', s.open(rig.net));
    check('set_root_ca_cert', s.set_root_ca_cert(lab.pki.caPem));
    s.set_hostname(server.host);
    if (session && offer) check('set_session', s.set_session(session));
    sock = s;
  } else {
    const s = new OffloadTLSSocket();
    check('open', s.open(rig.net));
    check('set_root_ca_cert', await s.set_root_ca_cert(lab.pki.caPem));
    check('set_hostname', await s.set_hostname(server.host));
    // On for both connections: the first stores the session in the modem, the second offers it.
    check('set_session_resumption', await s.set_session_resumption(true));
    sock = s;
  }
  const setup = { ...rig.uart };
  const started = performance.now();
  check('connect', await sock.connect(address));
  const ms = performance.now() - started;
  const after = { ...rig.uart };
  let resumed = false;
  let heapPeak = 0;
  if (sock instanceof MbedtlsTLSSocket) {
    resumed = sock.is_session_resumed();
    if (session && !offer) check('get_session', sock.get_session(session));
    heapPeak = sock.get_heap_stats().peakBytes;
  }
  const credentialBytes = sock instanceof OffloadTLSSocket ? sock.get_credential_bytes() : 0;
  check('close', await sock.close());
  await sock.destroy();
  // The ledger finishes a connection when the modem closes its socket: the last one is this connect's.
  const air = rig.modem.airConnections().at(-1);
  if (!air) throw new Error('the modem saw no connection');
  if (mode === 'offload') resumed = air.modemHandshake === 'resumed';
  return {
    air,
    uartSetup: setup.tx + setup.rx - before.tx - before.rx,
    uartTx: after.tx - setup.tx,
    uartRx: after.rx - setup.rx,
    heapPeak,
    credentialBytes,
    ms,
    resumed,
  };
}

function check(what: string, ret: number): void {
  if (ret !== NSAPI_ERROR_OK) throw new Error(`${what} returned ${ret}`);
}

/** Full then resumed, HANDSHAKE_RUNS times in `mode`, each pair on a freshly booted device. */
async function measure(lab: Lab, mode: Mode): Promise<{ full: ConnectCost[]; resumed: ConnectCost[] }> {
  // The stack's offload path exists only when the configuration says so at connect (tls-socket-variant.ts).
  setConfig('nsapi.offload-tlssocket', mode === 'offload');
  const full: ConnectCost[] = [];
  const resumed: ConnectCost[] = [];
  for (let i = 0; i < HANDSHAKE_RUNS; i++) {
    // A fresh modem each time: in offload mode it keeps the last session per server, so on the same
    // modem the next "full" connect would resume.
    const rig = await startRig({ kind: 'mock' }, lab.hosts);
    const session = mode === 'mbedtls' ? new SslSession() : null;
    try {
      full.push(await connectOnce(rig, lab, mode, session, false));
      resumed.push(await connectOnce(rig, lab, mode, session, true));
    } finally {
      session?.free();
      await rig.close();
    }
  }
  return { full, resumed };
}

const med = (runs: ConnectCost[], f: (c: ConnectCost) => number) => median(runs.map(f)).toFixed(0);

function row(mode: Mode, kind: string, runs: ConnectCost[]): string[] {
  const resumedCount = runs.filter((r) => r.resumed).length;
  const heap =
    mode === 'mbedtls'
      ? med(runs, (c) => c.heapPeak)
      : `0 (+${med(runs, (c) => c.credentialBytes)} credential B)`;
  return [
    `${mode}, ${kind} (${resumedCount}/${runs.length} resumed)`,
    med(runs, (c) => c.air.up.payloadBytes + c.air.up.headerBytes),
    med(runs, (c) => c.air.down.payloadBytes + c.air.down.headerBytes),
    `${med(runs, (c) => c.air.up.handshake)} / ${med(runs, (c) => c.air.down.handshake)}`,
    med(runs, (c) => c.uartSetup),
    `${med(runs, (c) => c.uartTx)} / ${med(runs, (c) => c.uartRx)}`,
    heap,
    med(runs, (c) => c.ms),
  ];
}

const airTotal = (c: ConnectCost) =>
  c.air.up.payloadBytes + c.air.up.headerBytes + c.air.down.payloadBytes + c.air.down.headerBytes;

export async function benchHandshakeCosts(lab: Lab): Promise<CostTable> {
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const mode of ['mbedtls', 'offload'] as const) {
    const { full, resumed } = await measure(lab, mode);
    rows.push(row(mode, 'full', full), row(mode, 'resumed', resumed));
    const share = median(resumed.map(airTotal)) / median(full.map(airTotal));
    notes.push(`${mode}: a resumed connect moves ${(share * 100).toFixed(0)} % of a full one's air bytes`);
  }
  const table = markdownTable(
    [
      `handshake (median of ${HANDSHAKE_RUNS})`,
      'air up B',
      'air down B',
      'air handshake up / down B',
      'UART setup B',
      'UART connect tx / rx B',
      'MCU Mbed TLS heap peak B',
      'connect ms (unpaced, in-process)',
    ],
    rows,
  );
  return { table, notes };
}
