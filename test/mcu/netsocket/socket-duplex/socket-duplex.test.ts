// toDuplex over every Socket kind against the lab's echo servers: bytes round-trip intact, the socket is
// driven non-blocking by sigio, end() closes it once the writes are out, the peer's close ends the
// readable side, and writes after close fail with an error instead of vanishing.
import { once } from 'node:events';
import { expect } from 'chai';
import { type Lab, startLab } from '../../../../lab/servers/lab.ts';
import { resetConfig } from '../../../../mcu/mbed-config.ts';
import { toDuplex } from '../../../../mcu/netsocket/socket-duplex/socket-duplex.ts';
import type { Device } from '../../tls/device-fixture.ts';
import { deviceFor, isTls, openSocket, VARIANTS } from './duplex-fixture.ts';

function pattern(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
  return bytes;
}

/** Reads `size` bytes through 'data' events (an async iterator would destroy the stream on break). */
function readExactly(stream: NodeJS.ReadableStream, size: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let got = 0;
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      parts.push(chunk);
      got += chunk.length;
      if (got < size) return;
      stream.off('data', onData);
      stream.pause();
      resolve(Buffer.concat(parts));
    };
    stream.on('data', onData);
    stream.once('error', reject);
  });
}

/** 'close', whatever errors come before it (events.once would reject on the first 'error'). */
const closed = (stream: NodeJS.EventEmitter) =>
  new Promise<void>((resolve) => stream.once('close', () => resolve()));

describe('toDuplex: a Socket as a Node Duplex', function () {
  this.timeout(60_000);
  let lab: Lab;
  let device: Device;
  before(async () => {
    lab = await startLab({ kinds: ['tcp-echo', 'tls-echo', 'tcp-daytime', 'tls-daytime'] });
  });
  after(() => lab.close());
  afterEach(async () => {
    await device?.close();
    resetConfig();
  });

  for (const variant of VARIANTS) {
    describe(variant, () => {
      const echo = isTls(variant) ? 'tls-echo' : 'tcp-echo';
      const daytime = isTls(variant) ? 'tls-daytime' : 'tcp-daytime';

      it('echoes 20 000 bytes written in pieces; end() closes the socket after the writes', async () => {
        device = await deviceFor(lab, variant);
        const opened = openSocket(lab, device, variant, echo);
        const calls: string[] = [];
        const blocking: boolean[] = [];
        const socket = opened.socket;
        const setBlocking = socket.set_blocking.bind(socket);
        socket.set_blocking = (b: boolean) => {
          blocking.push(b);
          setBlocking(b);
        };
        const close = socket.close.bind(socket);
        socket.close = () => {
          calls.push('close');
          return close();
        };
        const duplex = toDuplex(socket, { connect: opened.connect });
        await once(duplex, 'connect');
        expect(blocking).to.deep.equal([false]);
        const data = pattern(20_000);
        const reading = readExactly(duplex, data.length);
        for (let offset = 0; offset < data.length; offset += 3000)
          duplex.write(data.subarray(offset, offset + 3000));
        const back = await reading;
        expect(back.equals(data)).to.equal(true);
        expect(duplex.bytesWritten).to.equal(data.length);
        expect(duplex.bytesRead).to.equal(data.length);
        duplex.resume();
        duplex.end();
        await closed(duplex);
        expect(calls).to.deep.equal(['close']);
        await opened.destroy();
      });

      it("the peer's close is the end of the readable side; the stream then closes", async () => {
        device = await deviceFor(lab, variant);
        const opened = openSocket(lab, device, variant, daytime);
        const duplex = toDuplex(opened.socket, { connect: opened.connect });
        const chunks: Buffer[] = [];
        duplex.on('data', (chunk: Buffer) => chunks.push(chunk));
        await once(duplex, 'end');
        expect(Buffer.concat(chunks).toString()).to.match(/\d{4}/);
        await once(duplex, 'close');
        expect(duplex.destroyed).to.equal(true);
        await opened.destroy();
      });

      it("a write after the peer closed fails with the socket's nsapi code (allowHalfOpen keeps it writable)", async () => {
        device = await deviceFor(lab, variant);
        const opened = openSocket(lab, device, variant, daytime);
        const duplex = toDuplex(opened.socket, { connect: opened.connect, allowHalfOpen: true });
        duplex.resume();
        await once(duplex, 'end');
        // Let the modem's "closed" URC reach the stack before writing.
        await new Promise((resolve) => setTimeout(resolve, 50));
        const errors: NodeJS.ErrnoException[] = [];
        duplex.on('error', (error) => errors.push(error));
        const whenClosed = closed(duplex);
        duplex.write('after the peer left');
        await whenClosed;
        expect(errors).to.have.length(1);
        expect(errors[0].code).to.match(/^NSAPI_ERROR_/);
        expect(errors[0].syscall).to.equal('send');
        if (variant !== 'MbedtlsTLSSocket' && variant !== 'TLSSocketWrapper') {
          expect(errors[0].code).to.equal('NSAPI_ERROR_NO_CONNECTION');
          expect(errors[0].errno).to.equal(-3004);
        }
        await opened.destroy();
      });

      it('writing after end() is an error, never a silent drop', async () => {
        device = await deviceFor(lab, variant);
        const opened = openSocket(lab, device, variant, echo);
        const duplex = toDuplex(opened.socket, { connect: opened.connect });
        duplex.resume();
        await once(duplex, 'connect');
        duplex.end();
        const errors: Error[] = [];
        duplex.on('error', (error) => errors.push(error));
        const whenClosed = closed(duplex);
        const written = new Promise<Error | null | undefined>((resolve) => duplex.write('late', resolve));
        expect(((await written) as NodeJS.ErrnoException).code).to.equal('ERR_STREAM_WRITE_AFTER_END');
        await whenClosed;
        expect(errors.map((e) => (e as NodeJS.ErrnoException).code)).to.include('ERR_STREAM_WRITE_AFTER_END');
        await opened.destroy();
      });
    });
  }
});
