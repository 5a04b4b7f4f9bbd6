import type { AddressInfo } from 'node:net';
import type { SerialPortStream } from '@serialport/stream';
import { expect } from 'chai';
import { closeUart, openUart } from '../../../shared/uart/open-uart.ts';
import type { TcpPortBinding } from '../../../shared/uart/tcp-binding.ts';

function nextData(stream: SerialPortStream, bytes: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      const all = Buffer.concat(chunks);
      if (all.length >= bytes) {
        stream.off('data', onData);
        resolve(all);
      }
    };
    stream.on('data', onData);
  });
}

describe('tcp:// and tcp-listen:// UART ends', () => {
  it('carry every byte value both ways as a SerialPort stream', async () => {
    const listener = await openUart('tcp-listen://127.0.0.1:0');
    const port = (listener.port as unknown as TcpPortBinding).listeningAddress() as AddressInfo;
    const dialer = await openUart(`tcp://127.0.0.1:${port.port}`);
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const got = nextData(listener, 256 * 4);
    for (let i = 0; i < 4; i++) dialer.write(all);
    expect(await got).to.deep.equal(Buffer.concat([all, all, all, all]));
    const back = nextData(dialer, 3);
    listener.write('OK\n');
    expect((await back).toString()).to.equal('OK\n');
    await closeUart(dialer);
    await closeUart(listener);
  });

  it('fails to open a tcp:// end nobody listens on, with the address in the message', async () => {
    let error: Error | null = null;
    try {
      await openUart('tcp://127.0.0.1:1');
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).to.match(/127\.0\.0\.1:1/);
  });
});
