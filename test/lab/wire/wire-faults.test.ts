// The wire with UART faults: what arrives is what the fault line made of the bytes, every fault is
// marked in the trace at its byte, a stall holds the line, and the counts are exact.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Wire } from '../../../lab/wire/wire.ts';
import type { WireEnd } from '../../../lab/wire/wire-end.ts';
import { directionBytes, readTrace } from '../../../shared/trace/trace-reader.ts';
import { TraceWriter } from '../../../shared/trace/trace-writer.ts';

function memoryEnd() {
  let listener: (bytes: Uint8Array) => void = () => {};
  const closeListeners: Array<() => void> = [];
  const received: Buffer[] = [];
  let closed = false;
  const end: WireEnd = {
    onBytes: (l) => {
      listener = l;
    },
    deliver: (bytes) => received.push(Buffer.from(bytes)),
    onClose: (l) => closeListeners.push(l),
    close: () => {
      if (closed) return;
      closed = true;
      for (const l of closeListeners) l();
    },
  };
  return {
    end,
    received,
    send: (bytes: Uint8Array) => listener(bytes),
    get closed() {
      return closed;
    },
  };
}

async function until(done: () => boolean, ms = 5000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!done()) {
    if (performance.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('the wire with UART faults', () => {
  it('corrupts the faulted direction only, marks each fault in the trace, and counts exactly', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tlssim-wire-faults-')), 'uart.jsonl');
    const trace = new TraceWriter(file, { baud: 921600, frame: '8N1' });
    const mcu = memoryEnd();
    const modem = memoryEnd();
    const wire = new Wire(mcu.end, modem.end, {
      baud: 921600,
      pacing: false,
      trace,
      faults: { seed: 3, rx: { bitErrorRate: 1e-3, drop: 1e-3, noise: 1e-3 } },
    });
    const sent = Buffer.from(Array.from({ length: 20_000 }, (_, i) => i & 0xff));
    modem.send(sent);
    mcu.send(sent);
    expect(Buffer.concat(modem.received)).to.deep.equal(sent);
    const got = Buffer.concat(mcu.received);
    const stats = wire.faultStats;
    expect(stats.tx).to.deep.include({ bitErrors: 0, bytesCorrupted: 0, bytesDropped: 0 });
    expect(stats.rx.bitErrors).to.be.greaterThan(80);
    expect(got.length).to.equal(sent.length - stats.rx.bytesDropped + stats.rx.bytesInserted);
    wire.close();
    await trace.close();
    const read = readTrace(file);
    expect(directionBytes(read, 'rx')).to.deep.equal(got);
    const faults = read.faults ?? [];
    const count = (kind: string) => faults.filter((f) => f.fault === kind).length;
    expect(count('bit-flip')).to.equal(stats.rx.bytesCorrupted);
    expect(count('drop')).to.equal(stats.rx.bytesDropped);
    expect(count('noise')).to.equal(stats.rx.bytesInserted);
    for (const f of faults.filter((x) => x.fault === 'bit-flip')) {
      expect(f.dir).to.equal('rx');
      expect(got[f.offset]).to.equal(f.detail.sent! ^ f.detail.mask!);
    }
  });

  it('a stall holds the line for its time, paced or not, and loses nothing', async () => {
    for (const pacing of [false, true]) {
      const mcu = memoryEnd();
      const modem = memoryEnd();
      const wire = new Wire(mcu.end, modem.end, {
        baud: 921600,
        pacing,
        faults: { rx: { stall: 1, stallMs: 30 } }, // before every byte
      });
      const started = performance.now();
      modem.send(Buffer.from('OK'));
      await until(() => Buffer.concat(mcu.received).length === 2);
      expect(performance.now() - started).to.be.at.least(58);
      expect(String(Buffer.concat(mcu.received))).to.equal('OK');
      expect(wire.faultStats.rx).to.include({ stalls: 2, stallMs: 60 });
      wire.close();
    }
  });
});

describe('the wire passes a disconnect on', () => {
  it('when the modem end goes away, its last bytes are delivered, then the MCU end is hung up on', async () => {
    const mcu = memoryEnd();
    const modem = memoryEnd();
    const gone: string[] = [];
    new Wire(mcu.end, modem.end, { baud: 115200, onHangUp: (end) => gone.push(end) });
    modem.send(Buffer.from('\r\nOK\r\n'));
    modem.end.close();
    expect(mcu.closed, 'not before the bytes in flight went out').to.equal(false);
    await until(() => mcu.closed);
    expect(String(Buffer.concat(mcu.received))).to.equal('\r\nOK\r\n');
    expect(gone).to.deep.equal(['modem']);
  });

  it('when the MCU end goes away, the modem end is hung up on', async () => {
    const mcu = memoryEnd();
    const modem = memoryEnd();
    new Wire(mcu.end, modem.end, { baud: 115200, pacing: false });
    mcu.end.close();
    await until(() => modem.closed);
  });
});
