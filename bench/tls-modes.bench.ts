// Issue 3/4 figures, mbedtls and offload side by side: handshake time with and without pacing, UART
// bytes per handshake (and for the credential upload that offload needs first), and echo throughput.

import type { Mode } from '../lab/scenario/scenario-types.ts';
import type { Lab } from '../lab/servers/lab.ts';
import { setConfig } from '../mcu/mbed-config.ts';
import { TLSSocket } from '../mcu/tls/tls-socket.ts';
import { NSAPI_ERROR_OK } from '../shared/nsapi.ts';
import { SocketAddress } from '../shared/socket-address.ts';
import type { Row } from './at-and-echo.bench.ts';
import { median, type Rig, startRig } from './device-rig.ts';

interface TlsFigures {
  handshakeMs: number;
  setupBytes: number;
  handshakeBytes: number;
  throughput: number;
}

const uartTotal = (rig: Rig) => (rig.counters ? rig.counters.tx + rig.counters.rx : 0);

async function oneRun(rig: Rig, lab: Lab, echoBytes: number): Promise<TlsFigures> {
  const server = lab.server('tls-echo');
  const address = new SocketAddress(server.address, server.port);
  const sock = new TLSSocket();
  const start = uartTotal(rig);
  if (sock.open(rig.net) !== NSAPI_ERROR_OK) throw new Error('open failed');
  await sock.set_root_ca_cert(lab.pki.caPem);
  await sock.set_hostname(server.host);
  const afterSetup = uartTotal(rig);
  const started = performance.now();
  const ret = await sock.connect(address);
  if (ret !== NSAPI_ERROR_OK) throw new Error(`connect returned ${ret}`);
  const handshakeMs = performance.now() - started;
  const afterHandshake = uartTotal(rig);
  const chunk = Buffer.alloc(1200, 0x61);
  const back = Buffer.alloc(1200);
  const echoStart = performance.now();
  for (let sent = 0; sent < echoBytes; sent += chunk.length) {
    await sock.send(chunk);
    for (let got = 0; got < chunk.length; )
      got += Math.max(0, await sock.recv(back.subarray(0, chunk.length - got)));
  }
  const throughput = echoBytes / ((performance.now() - echoStart) / 1000);
  await sock.close();
  return {
    handshakeMs,
    setupBytes: afterSetup - start,
    handshakeBytes: afterHandshake - afterSetup,
    throughput,
  };
}

async function figures(
  mode: Mode,
  baud: number | null,
  lab: Lab,
  runs: number,
  echoBytes: number,
): Promise<TlsFigures> {
  setConfig('nsapi.offload-tlssocket', mode === 'offload');
  const rig = await startRig({ kind: 'tcp', baud }, lab.hosts);
  try {
    const all: TlsFigures[] = [];
    for (let i = 0; i < runs; i++) all.push(await oneRun(rig, lab, echoBytes));
    return {
      handshakeMs: median(all.map((f) => f.handshakeMs)),
      setupBytes: median(all.map((f) => f.setupBytes)),
      handshakeBytes: median(all.map((f) => f.handshakeBytes)),
      throughput: median(all.map((f) => f.throughput)),
    };
  } finally {
    await rig.close();
  }
}

export async function benchTlsModes(lab: Lab): Promise<Row[]> {
  const rows: Row[] = [];
  const results = new Map<string, TlsFigures>();
  for (const mode of ['mbedtls', 'offload'] as const) {
    results.set(`${mode} unpaced`, await figures(mode, null, lab, 5, 24_000));
    results.set(`${mode} 115200`, await figures(mode, 115200, lab, 3, 12_000));
  }
  const base = results.get('mbedtls unpaced') as TlsFigures;
  for (const [label, f] of results) {
    rows.push({
      figure: `${label}: handshake (connect)`,
      value: `${f.handshakeMs.toFixed(0)} ms`,
      ratio: `${(f.handshakeMs / base.handshakeMs).toFixed(2)}× mbedtls unpaced`,
    });
  }
  for (const mode of ['mbedtls', 'offload'] as const) {
    const f = results.get(`${mode} 115200`) as TlsFigures;
    rows.push({
      figure: `${mode}: UART bytes to set credentials (before connect)`,
      value: `${f.setupBytes} B`,
    });
    rows.push({ figure: `${mode}: UART bytes per handshake`, value: `${f.handshakeBytes} B` });
  }
  for (const [label, f] of results) {
    rows.push({
      figure: `${label}: TLS echo throughput (each way)`,
      value: `${(f.throughput / 1024).toFixed(1)} KiB/s`,
      // Paced rows compare with the line rate; unpaced ones with mbedtls mode unpaced.
      ratio: label.endsWith('115200')
        ? `${(f.throughput / 11_520).toFixed(3)}× the 11 520 B/s line rate`
        : `${(f.throughput / base.throughput).toFixed(2)}× mbedtls unpaced`,
    });
  }
  return rows;
}
