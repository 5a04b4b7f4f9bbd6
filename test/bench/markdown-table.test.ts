// The costs bench prints Markdown meant to be pasted into docs/costs.md: it must be a valid GFM table
// (header, alignment rule, one line per row, same column count throughout).
import { expect } from 'chai';
import { markdownTable } from '../../bench/markdown-table.ts';

describe('bench markdownTable', () => {
  it('pads columns, left-aligns the first and right-aligns the figures', () => {
    const text = markdownTable(
      ['socket', 'peak B'],
      [
        ['TLS', '49102'],
        ['mutual TLS', '58388'],
      ],
    );
    expect(text.split('\n')).to.deep.equal([
      '| socket     | peak B |',
      '| ---------- | -----: |',
      '| TLS        |  49102 |',
      '| mutual TLS |  58388 |',
    ]);
  });

  it('keeps the column count when a row is short', () => {
    const lines = markdownTable(['a', 'b', 'c'], [['x']]).split('\n');
    for (const line of lines) expect(line.split('|').length).to.equal(5);
  });
});
