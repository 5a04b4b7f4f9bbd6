import { expect } from 'chai';
import { TimeOrder } from '../../../lab/trace/time-order.ts';

interface E {
  t: number;
  name: string;
  open?: boolean;
}

describe('TimeOrder', () => {
  it('releases by time, ties in the order added, nothing later than the bound', () => {
    const order = new TimeOrder<E>();
    for (const [t, name] of [
      [5, 'a'],
      [3, 'b'],
      [5, 'c'],
      [9, 'd'],
    ] as const)
      order.add({ t, name });
    const names = (until: number) => [...order.release(until, (e) => e.open === true)].map((e) => e.name);
    expect(names(5)).to.deep.equal(['b', 'a', 'c']);
    order.add({ t: 5, name: 'e' }); // found later at a time already released: after those
    order.add({ t: 7, name: 'f' });
    expect(names(8)).to.deep.equal(['e', 'f']);
    expect(names(Number.POSITIVE_INFINITY)).to.deep.equal(['d']);
  });

  it('holds everything behind an event still open, then lets it all go in order', () => {
    const order = new TimeOrder<E>();
    const command: E = { t: 1, name: 'command', open: true };
    order.add(command);
    order.add({ t: 2, name: 'line' });
    const names = (until: number) => [...order.release(until, (e) => e.open === true)].map((e) => e.name);
    expect(names(10)).to.deep.equal([]);
    order.add({ t: 1.5, name: 'urc' });
    command.open = false;
    expect(names(10)).to.deep.equal(['command', 'urc', 'line']);
  });

  it('is the stable sort of what it was given, however the releases fall', () => {
    let seed = 11;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const order = new TimeOrder<E>();
    const all: E[] = [];
    const out: E[] = [];
    let floor = 0;
    for (let i = 0; i < 5000; i++) {
      // Times never below what may still come (the framer's promise), often equal.
      const event = { t: floor + random(4), name: String(i) };
      all.push(event);
      order.add(event);
      if (random(3) === 0) {
        floor += random(2);
        out.push(...order.release(floor, () => false));
      }
    }
    out.push(...order.release(Number.POSITIVE_INFINITY, () => false));
    expect(out).to.deep.equal([...all].sort((a, b) => a.t - b.t));
  });
});
