// Both UART ends in one process, joined directly (no pacing, no tap): the fast path for unit tests.
// The lab's wire can join the same mock ports instead when pacing or a trace is wanted.
import type { SerialPortStream } from '@serialport/stream';
import { createMockPorts, deliverToMock, listenMockWrites, removeMockPorts } from './mock-link.ts';
import { closeUart, openUart } from './open-uart.ts';

export interface MockPair {
  mcu: SerialPortStream;
  modem: SerialPortStream;
  close(): Promise<void>;
}

let pairCount = 0;

export async function openMockPair(name = 'pair'): Promise<MockPair> {
  const unique = `${name}-${process.pid}-${++pairCount}`;
  const { mcuPath, modemPath } = createMockPorts(unique);
  listenMockWrites(mcuPath, (bytes) => deliverToMock(modemPath, bytes));
  listenMockWrites(modemPath, (bytes) => deliverToMock(mcuPath, bytes));
  const mcu = await openUart(`mock:${mcuPath}`);
  const modem = await openUart(`mock:${modemPath}`);
  return {
    mcu,
    modem,
    async close() {
      await Promise.all([closeUart(mcu), closeUart(modem)]);
      removeMockPorts(unique);
    },
  };
}
