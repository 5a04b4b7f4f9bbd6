// Issue 2's figures: AT round trip, plain TCP echo throughput unpaced, and the byte rate achieved at
// 115200 baud against the 11 520 B/s line rate. Ratios are against a baseline measured in this process.
import net from 'node:net';
import type { Lab } from '../lab/servers/lab.ts';
import { Pacer } from '../lab/wire/pacer.ts';
import { TCPSocket } from '../mcu/netsocket/tcp-socket.ts';
import { NSAPI_ERROR_OK } from '../shared/nsapi.ts';
import { SocketAddress } from '../shared/socket-address.ts';
import { median, type Rig, type RigLink, startRig } from './device-rig.ts';

export interface Row {
  figure: string;
  value: string;
  ratio?: string;
}

async function atRoundTripUs(rig: Rig, samples: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await rig.net.at.run(async (cmd) => {
      cmd.send('');
      await cmd.ok();
    });
    times.push((performance.now() - started) * 1000);
  }
  return median(times);
}

async function echoThroughput(
  rig: Rig,
  lab: Lab,
  bytes: number,
): Promise<{ bytesPerSecond: number; uart: number }> {
  const server = lab.server('tcp-echo');
  const sock = new TCPSocket(rig.net);
  const ret = await sock.connect(new SocketAddress(server.address, server.port));
  if (ret !== NSAPI_ERROR_OK) throw new Error(`connect returned ${ret}`);
  const chunk = Buffer.alloc(1200, 0x5a);
  const back = Buffer.alloc(1500);
  const before = rig.counters ? rig.counters.tx + rig.counters.rx : 0;
  const started = performance.now();
  for (let sent = 0; sent < bytes; sent += chunk.length) {
    await sock.send(chunk);
    for (let got = 0; got < chunk.length; )
      got += Math.max(0, await sock.recv(back.subarray(0, chunk.length - got)));
  }
  const seconds = (performance.now() - started) / 1000;
  await sock.close();
  const uart = rig.counters ? rig.counters.tx + rig.counters.rx - before : 0;
  return { bytesPerSecond: bytes / seconds, uart: uart / seconds };
}

/** Raw loopback TCP echo of the same pattern: the ceiling the simulated path is compared with. */
async function loopbackEcho(lab: Lab, bytes: number): Promise<number> {
  const server = lab.server('tcp-echo');
  const socket = net.connect(server.port, server.address);
  await new Promise((resolve) => socket.once('connect', resolve));
  const chunk = Buffer.alloc(1200, 0x5a);
  const started = performance.now();
  for (let sent = 0; sent < bytes; sent += chunk.length) {
    socket.write(chunk);
    let got = 0;
    await new Promise<void>((resolve) => {
      const onData = (d: Buffer) => {
        got += d.length;
        if (got >= chunk.length) {
          socket.off('data', onData);
          resolve();
        }
      };
      socket.on('data', onData);
    });
  }
  const seconds = (performance.now() - started) / 1000;
  socket.destroy();
  return bytes / seconds;
}

/** One direction of the wire saturated: how close the pacer's delivered rate comes to the line rate. */
async function pacerRate(baud: number, bytes: number): Promise<number> {
  const started = performance.now();
  let delivered = 0;
  await new Promise<void>((resolve) => {
    const pacer = new Pacer(baud / 10, (slice) => {
      delivered += slice.length;
      if (delivered >= bytes) resolve();
    });
    for (let sent = 0; sent < bytes; sent += 1460) pacer.push(new Uint8Array(Math.min(1460, bytes - sent)));
  });
  return bytes / ((performance.now() - started) / 1000);
}

export async function benchAtAndEcho(lab: Lab): Promise<Row[]> {
  const rows: Row[] = [];
  for (const baud of [115200, 921600]) {
    const rate = await pacerRate(baud, (baud / 10) * 2);
    rows.push({
      figure: `wire, one direction saturated for 2 s at ${baud} 8N1`,
      value: `${rate.toFixed(0)} B/s`,
      ratio: `${(rate / (baud / 10)).toFixed(3)}× the ${baud / 10} B/s line rate`,
    });
  }
  const run = async <T>(link: RigLink, f: (rig: Rig) => Promise<T>): Promise<T> => {
    const rig = await startRig(link, lab.hosts);
    try {
      return await f(rig);
    } finally {
      await rig.close();
    }
  };
  const mockRtt = await run({ kind: 'mock' }, (rig) => atRoundTripUs(rig, 200));
  const tcpRtt = await run({ kind: 'tcp', baud: null }, (rig) => atRoundTripUs(rig, 200));
  const pacedRtt = await run({ kind: 'tcp', baud: 115200 }, (rig) => atRoundTripUs(rig, 50));
  rows.push({ figure: 'AT round trip, mock UART (baseline)', value: `${mockRtt.toFixed(0)} µs` });
  rows.push({
    figure: 'AT round trip, tcp:// UART via the wire, unpaced',
    value: `${tcpRtt.toFixed(0)} µs`,
    ratio: `${(tcpRtt / mockRtt).toFixed(2)}× mock`,
  });
  rows.push({
    figure: 'AT round trip, tcp:// UART at 115200 8N1',
    value: `${pacedRtt.toFixed(0)} µs`,
    ratio: `${(pacedRtt / mockRtt).toFixed(2)}× mock`,
  });

  const total = 120_000;
  const raw = await loopbackEcho(lab, total);
  const unpaced = await run({ kind: 'tcp', baud: null }, (rig) => echoThroughput(rig, lab, total));
  rows.push({
    figure: 'TCP echo, raw loopback socket (baseline)',
    value: `${(raw / 1024).toFixed(0)} KiB/s`,
  });
  rows.push({
    figure: 'TCP echo through MCU ↔ BG96 over tcp:// UART, unpaced',
    value: `${(unpaced.bytesPerSecond / 1024).toFixed(0)} KiB/s`,
    ratio: `${(unpaced.bytesPerSecond / raw).toFixed(3)}× raw`,
  });
  const paced = await run({ kind: 'tcp', baud: 115200 }, (rig) => echoThroughput(rig, lab, 24_000));
  const line = 115200 / 10;
  rows.push({
    figure: 'TCP echo payload at 115200 8N1 (each way)',
    value: `${paced.bytesPerSecond.toFixed(0)} B/s`,
    ratio: `${(paced.bytesPerSecond / line).toFixed(3)}× line rate`,
  });
  rows.push({
    figure: 'UART bytes at 115200 8N1 (both ways, per direction)',
    value: `${(paced.uart / 2).toFixed(0)} B/s`,
    ratio: `${(paced.uart / 2 / line).toFixed(3)}× the 11 520 B/s line rate`,
  });
  return rows;
}
