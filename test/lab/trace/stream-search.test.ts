import { expect } from 'chai';
import { StreamSearch } from '../../../lab/trace/stream-search.ts';

describe('StreamSearch', () => {
  it('finds a needle split across pieces, even byte by byte', () => {
    const search = new StreamSearch(['secret', 'absent', '']);
    for (const byte of Buffer.from('xx-sec')) search.feed(Uint8Array.of(byte));
    expect(search.has(0)).to.equal(false);
    search.feed(Buffer.from('ret-yy'));
    expect([search.has(0), search.has(1), search.has(2)]).to.deep.equal([true, false, true]);
    expect(search.done).to.equal(false);
  });

  it('keeps only the bytes a split needle needs', () => {
    const search = new StreamSearch(['abc']);
    search.feed(Buffer.alloc(1_000_000, 0x61));
    search.feed(Buffer.from('bc'));
    expect(search.done).to.equal(true);
  });
});
