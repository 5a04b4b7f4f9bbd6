// A device on the mock UART: the simulated BG96 in-process, a connected CellularInterface, and the lab.

import type { Lab } from '../../../lab/servers/lab.ts';
import type { ServerKind } from '../../../lab/servers/server-kinds.ts';
import { CellularInterface } from '../../../mcu/cellular/cellular-interface.ts';
import { Bg96Modem } from '../../../modem/bg96-modem.ts';
import type { ModemOptions } from '../../../modem/modem-options.ts';
import { NSAPI_ERROR_OK } from '../../../shared/nsapi.ts';
import { SocketAddress } from '../../../shared/socket-address.ts';
import { type MockPair, openMockPair } from '../../../shared/uart/mock-pair.ts';

export interface Device {
  net: CellularInterface;
  modem: Bg96Modem;
  pair: MockPair;
  /** every byte the MCU sent (tx) and received (rx) on the UART */
  uart: { tx: Buffer[]; rx: Buffer[] };
  resolve(kind: ServerKind): Promise<SocketAddress>;
  close(): Promise<void>;
}

export async function startDevice(lab: Lab, modemOptions: ModemOptions = {}): Promise<Device> {
  const pair = await openMockPair('device');
  const uart = { tx: [] as Buffer[], rx: [] as Buffer[] };
  pair.modem.on('data', (d: Buffer) => uart.tx.push(d));
  pair.mcu.on('data', (d: Buffer) => uart.rx.push(d));
  const modem = new Bg96Modem(pair.modem, { hosts: lab.hosts, ...modemOptions });
  modem.start();
  const net = new CellularInterface(pair.mcu);
  const connected = await net.connect();
  if (connected !== NSAPI_ERROR_OK) throw new Error(`net.connect() returned ${connected}`);
  return {
    net,
    modem,
    pair,
    uart,
    async resolve(kind) {
      const server = lab.server(kind);
      const address = new SocketAddress();
      const ret = await net.gethostbyname(server.host, address);
      if (ret !== NSAPI_ERROR_OK) throw new Error(`gethostbyname(${server.host}) returned ${ret}`);
      address.set_port(server.port);
      return address;
    },
    async close() {
      await modem.close();
      await pair.close();
    },
  };
}
