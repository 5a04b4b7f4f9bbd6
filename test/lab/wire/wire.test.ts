import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Pacer } from '../../../lab/wire/pacer.ts';
import { bytesPerSecond, parseFrame } from '../../../lab/wire/uart-frame.ts';
import { Wire } from '../../../lab/wire/wire.ts';
import type { WireEnd } from '../../../lab/wire/wire-end.ts';
import { directionBytes, readTrace } from '../../../shared/trace/trace-reader.ts';
import { TraceWriter } from '../../../shared/trace/trace-writer.ts';

/** An in-memory wire end: `send` is what its UART transmits, `received` what reached it. */
function memoryEnd() {
  let listener: (bytes: Uint8Array) => void = () => {};
  const received: Buffer[] = [];
  const end: WireEnd = {
    onBytes: (l) => {
      listener = l;
    },
    deliver: (bytes) => received.push(Buffer.from(bytes)),
    onClose: () => {},
    close: () => {},
  };
  return { end, received, send: (bytes: Uint8Array) => listener(bytes) };
}

describe('the wire', () => {
  it('knows its frames: 8N1 is 10 bits a byte, 8E2 12; 115200 baud 8N1 is 11 520 B/s', () => {
    expect(parseFrame('8N1').bitsPerByte).to.equal(10);
    expect(parseFrame('8e2').bitsPerByte).to.equal(12);
    expect(parseFrame('7O1').bitsPerByte).to.equal(10);
    expect(bytesPerSecond(115200, parseFrame('8N1'))).to.equal(11520);
    expect(() => parseFrame('9N1')).to.throw(/8N1/);
  });

  it('carries every byte both ways, in order, paced, and taps all of it into the trace', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tlssim-wire-')), 'uart.jsonl');
    const trace = new TraceWriter(file, { baud: 921600, frame: '8N1' });
    const mcu = memoryEnd();
    const modem = memoryEnd();
    const wire = new Wire(mcu.end, modem.end, { baud: 921600, trace });
    const tx = Buffer.from(Array.from({ length: 3000 }, (_, i) => i & 0xff));
    const rx = Buffer.from('\r\nOK\r\n'.repeat(100));
    mcu.send(tx.subarray(0, 1000));
    modem.send(rx);
    mcu.send(tx.subarray(1000));
    while (
      Buffer.concat(modem.received).length < tx.length ||
      Buffer.concat(mcu.received).length < rx.length
    ) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(Buffer.concat(modem.received)).to.deep.equal(tx);
    expect(Buffer.concat(mcu.received)).to.deep.equal(rx);
    expect(wire.counters).to.deep.equal({ tx: tx.length, rx: rx.length });
    // Paced: a 3000-byte write reaches the far end in slices, not in one piece.
    expect(modem.received.length).to.be.greaterThan(3);
    wire.close();
    await trace.close();
    const read = readTrace(file);
    expect(directionBytes(read, 'tx')).to.deep.equal(tx);
    expect(directionBytes(read, 'rx')).to.deep.equal(rx);
  });

  it('without pacing passes each write through at once', () => {
    const released: number[] = [];
    const pacer = new Pacer(Number.POSITIVE_INFINITY, (bytes) => released.push(bytes.length));
    pacer.push(new Uint8Array(5000));
    expect(released).to.deep.equal([5000]);
  });
});
