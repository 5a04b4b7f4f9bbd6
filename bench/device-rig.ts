// A whole device in one process for benchmarks: the simulated BG96 and a CellularInterface joined
// either directly on mock ports (the baseline) or through the lab wire over tcp:// UART ends, paced
// or not — the same path the runner uses between processes, minus the process boundary.

import { listenWireEnd } from '../lab/wire/tcp-wire-end.ts';
import { Wire, type WireCounters } from '../lab/wire/wire.ts';
import { CellularInterface } from '../mcu/cellular/cellular-interface.ts';
import { Bg96Modem } from '../modem/bg96-modem.ts';
import type { ModemOptions } from '../modem/modem-options.ts';
import { NSAPI_ERROR_OK } from '../shared/nsapi.ts';
import { openMockPair } from '../shared/uart/mock-pair.ts';
import { closeUart, openUart } from '../shared/uart/open-uart.ts';

export type RigLink = { kind: 'mock' } | { kind: 'tcp'; baud: number | null };

export interface Rig {
  net: CellularInterface;
  /** the simulated BG96, for its per-connection air figures (airConnections) */
  modem: Bg96Modem;
  /** the wire's byte counts (tcp link only); null on the mock baseline */
  counters: WireCounters | null;
  /** UART bytes the MCU sent (tx) and received (rx), on either link */
  uart: WireCounters;
  close(): Promise<void>;
}

export async function startRig(
  link: RigLink,
  hosts: Record<string, string>,
  modemOptions: ModemOptions = {},
): Promise<Rig> {
  if (link.kind === 'mock') {
    const pair = await openMockPair('bench');
    // Counted where device-fixture counts them: what each end's port receives from the other.
    const uart: WireCounters = { tx: 0, rx: 0 };
    pair.modem.on('data', (d: Buffer) => {
      uart.tx += d.length;
    });
    pair.mcu.on('data', (d: Buffer) => {
      uart.rx += d.length;
    });
    const modem = new Bg96Modem(pair.modem, { hosts, ...modemOptions });
    modem.start();
    const net = new CellularInterface(pair.mcu);
    await connected(net);
    return {
      net,
      modem,
      counters: null,
      uart,
      close: async () => {
        await modem.close();
        await pair.close();
      },
    };
  }
  const mcuEnd = await listenWireEnd();
  const modemEnd = await listenWireEnd();
  const [mcuPort, modemPort] = await Promise.all([
    openUart(`tcp://127.0.0.1:${mcuEnd.port}`),
    openUart(`tcp://127.0.0.1:${modemEnd.port}`),
  ]);
  const wire = new Wire(await mcuEnd.connected, await modemEnd.connected, {
    baud: link.baud ?? 115200,
    pacing: link.baud !== null,
  });
  const modem = new Bg96Modem(modemPort, { hosts, ...modemOptions });
  modem.start();
  const net = new CellularInterface(mcuPort);
  await connected(net);
  return {
    net,
    modem,
    counters: wire.counters,
    uart: wire.counters,
    close: async () => {
      await modem.close();
      wire.close();
      await Promise.all([closeUart(mcuPort), closeUart(modemPort)]);
    },
  };
}

async function connected(net: CellularInterface): Promise<void> {
  const ret = await net.connect();
  if (ret !== NSAPI_ERROR_OK) throw new Error(`net.connect() returned ${ret}`);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
