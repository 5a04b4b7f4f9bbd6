// The UART fault line: each fault kind on the byte stream as uart-fault-spec.ts describes it, exact
// counts, marks at the right offsets, and the same faults for the same seed.
import { expect } from 'chai';
import { UartFaultLine, type UartLineItem } from '../../../lab/faults/uart-fault-line.ts';
import {
  parseUartFaultSpec,
  resolveUartFaults,
  type UartFaultSet,
} from '../../../lab/faults/uart-fault-spec.ts';

const RATE = 92_160; // 921600 baud 8N1

function line(set: UartFaultSet, seed = 7) {
  return new UartFaultLine(resolveUartFaults(set), seed, 'rx', RATE);
}

function delivered(items: UartLineItem[]): Buffer {
  return Buffer.concat(items.flatMap((i) => (i.kind === 'bytes' ? [i.bytes] : [])));
}

const marks = (items: UartLineItem[]) => items.flatMap((i) => (i.kind === 'mark' ? [i.mark] : []));

const input = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7) & 0xff));

describe('UART fault spec', () => {
  it('accepts rates and durations per direction, and names the key of anything out of range', () => {
    expect(parseUartFaultSpec({ seed: 7, rx: { bitErrorRate: 1e-3, drop: 1e-4 }, tx: {} })).to.deep.equal({
      seed: 7,
      rx: { bitErrorRate: 1e-3, drop: 1e-4 },
      tx: {},
    });
    expect(() => parseUartFaultSpec({ rx: { drop: 4 } })).to.throw(
      'uartFaults.rx.drop is a probability 0..1, got 4',
    );
    expect(() => parseUartFaultSpec({ tx: { bitErrorRate: 0.6 } })).to.throw('uartFaults.tx.bitErrorRate');
    expect(() => parseUartFaultSpec({ rx: { stallMs: 0 } })).to.throw(
      'uartFaults.rx.stallMs must be an integer 1..60000',
    );
    expect(() => parseUartFaultSpec({ rx: { bitErorRate: 1 } })).to.throw(
      'uartFaults.rx: unknown key "bitErorRate"',
    );
    expect(() => parseUartFaultSpec({ up: {} })).to.throw(
      'uartFaults: unknown key "up"; known: seed, tx, rx',
    );
    expect(() => parseUartFaultSpec({ seed: -1 })).to.throw('uartFaults.seed must be an integer');
    expect(() => parseUartFaultSpec([], '--uart-faults')).to.throw('--uart-faults must be an object');
  });
});

describe('UART fault line', () => {
  it('without faults passes every byte as it is', () => {
    const items = line({}).apply(input);
    expect(delivered(items)).to.deep.equal(input);
    expect(marks(items)).to.deep.equal([]);
  });

  it('bit errors: about BER × 8 per byte, each marked at its byte with the bits inverted; counts exact', () => {
    const l = line({ bitErrorRate: 1e-3 });
    const items = l.apply(input);
    const out = delivered(items);
    expect(out.length).to.equal(input.length);
    const differing = [...out].filter((b, i) => b !== input[i]).length;
    expect(l.stats.bytesCorrupted).to.equal(differing);
    expect(l.stats.bitErrors).to.be.within(650, 950); // 800 expected
    for (const m of marks(items)) {
      expect(m.fault).to.equal('bit-flip');
      expect(m.detail.sent).to.equal(input[m.offset]);
      expect(out[m.offset]).to.equal(input[m.offset]! ^ m.detail.mask!);
    }
    expect(marks(items)).to.have.length(differing);
  });

  it('the same seed gives the same faults, however the bytes are chunked; another seed others', () => {
    const whole = line({ bitErrorRate: 1e-3, drop: 1e-3, noise: 1e-3 }).apply(input);
    const chunked = line({ bitErrorRate: 1e-3, drop: 1e-3, noise: 1e-3 });
    const pieces: UartLineItem[] = [];
    for (let i = 0; i < input.length; i += 333) pieces.push(...chunked.apply(input.subarray(i, i + 333)));
    expect(delivered(pieces)).to.deep.equal(delivered(whole));
    expect(marks(pieces)).to.deep.equal(marks(whole));
    expect(delivered(line({ bitErrorRate: 1e-3 }, 8).apply(input))).to.not.deep.equal(delivered(whole));
  });

  it('drop and noise: bytes lost and inserted where the marks say', () => {
    const l = line({ drop: 1e-3, noise: 1e-3 });
    const items = l.apply(input);
    const out = delivered(items);
    expect(out.length).to.equal(input.length - l.stats.bytesDropped + l.stats.bytesInserted);
    expect(l.stats.bytesDropped).to.be.within(60, 140);
    expect(l.stats.bytesInserted).to.be.within(60, 140);
    // Rebuild what was sent from what arrived and the marks.
    const rebuilt: number[] = [];
    const byOffset = new Map<number, Array<ReturnType<typeof marks>[number]>>();
    for (const m of marks(items)) byOffset.set(m.offset, [...(byOffset.get(m.offset) ?? []), m]);
    for (let i = 0; i <= out.length; i++) {
      let skip = false;
      for (const m of byOffset.get(i) ?? []) {
        if (m.fault === 'drop') rebuilt.push(m.detail.sent!);
        if (m.fault === 'noise') skip = true;
      }
      if (i < out.length && !skip) rebuilt.push(out[i]!);
    }
    expect(Buffer.from(rebuilt)).to.deep.equal(input);
  });

  it('a stall is a pause before its byte, losing nothing', () => {
    const l = line({ stall: 1e-4, stallMs: 50 });
    const items = l.apply(input);
    expect(delivered(items)).to.deep.equal(input);
    const pauses = items.filter((i) => i.kind === 'pause');
    expect(pauses).to.have.length(l.stats.stalls).and.length.greaterThan(0);
    expect(pauses[0]).to.deep.equal({ kind: 'pause', ms: 50 });
    expect(l.stats.stallMs).to.equal(50 * l.stats.stalls);
    const first = marks(items)[0]!;
    expect(first).to.include({ fault: 'stall' });
    expect(items[items.indexOf(pauses[0]!) - 1]).to.deep.equal({ kind: 'mark', mark: first });
  });

  it('a break reads as one 0x00 and swallows the bytes sent while the line was held', () => {
    const l = line({ break: 1e-4, breakMs: 10 });
    const items = l.apply(input);
    const m = marks(items)[0]!;
    const lost = Math.round((10 * RATE) / 1000); // 922 bytes at 921600 baud
    expect(m).to.deep.include({ fault: 'break', detail: { ms: 10, lost } });
    const out = delivered(items);
    expect(out[m.offset]).to.equal(0);
    expect(out.subarray(0, m.offset)).to.deep.equal(input.subarray(0, m.offset));
    expect(out[m.offset + 1]).to.equal(input[m.offset + lost]);
    expect(items).to.deep.include({ kind: 'pause', ms: 10 });
    // The last break may run past the end of what was sent: only bytes really sent are lost.
    expect(l.stats.bytesLostToBreaks).to.be.within(lost * (l.stats.breaks - 1) + 1, lost * l.stats.breaks);
    expect(out.length).to.equal(input.length - l.stats.bytesLostToBreaks + l.stats.breaks);
  });
});
