import { existsSync } from 'node:fs';
import { expect } from 'chai';
import { TextSpool } from '../../../lab/trace/text-spool.ts';

describe('TextSpool', () => {
  it('hands back what was written, in order, from memory', () => {
    const spool = new TextSpool();
    spool.write('a');
    spool.write('bc');
    expect(spool.spillFile).to.equal(undefined);
    const out: string[] = [];
    spool.drain((text) => out.push(text));
    expect(out.join('')).to.equal('abc');
  });

  it('past its memory limit, through a temporary file it removes after', () => {
    const spool = new TextSpool(1000);
    const written: string[] = [];
    // Multi-byte characters, so the file's blocks end inside a character too.
    for (let i = 0; i < 50_000; i++) {
      const text = `${i} → ünïcode ${'x'.repeat(i % 50)}\n`;
      written.push(text);
      spool.write(text);
    }
    const file = spool.spillFile;
    expect(file !== undefined && existsSync(file)).to.equal(true);
    const out: string[] = [];
    spool.drain((text) => out.push(text));
    expect(out.join('')).to.equal(written.join(''));
    expect(out.length).to.be.greaterThan(1);
    expect(existsSync(file!)).to.equal(false);
  });

  it('removes its file when never drained', () => {
    const spool = new TextSpool(10);
    spool.write('x'.repeat(100));
    const file = spool.spillFile!;
    spool.dispose();
    expect(existsSync(file)).to.equal(false);
  });
});
