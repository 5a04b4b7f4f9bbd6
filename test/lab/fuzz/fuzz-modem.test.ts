// A short seeded batch of fuzzed AT lines against the simulated BG96 (the long campaign is
// `npm run bench -- fuzz`): no internal error, and a plain AT answered OK at every checkpoint.
import { expect } from 'chai';
import { fuzzLine } from '../../../lab/fuzz/at-line-fuzzer.ts';
import { fuzzModem } from '../../../lab/fuzz/fuzz-modem.ts';
import { SeededRandom } from '../../../shared/seeded-random.ts';

describe('fuzzed AT lines against the simulated BG96', function () {
  this.timeout(60_000);

  it('the same seed gives the same lines; they cover every form and some hostile bytes', () => {
    const lines = (seed: number) => {
      const random = SeededRandom.derive(seed, 'at-lines');
      return Array.from({ length: 2000 }, () => fuzzLine(random));
    };
    const first = lines(3);
    expect(lines(3)).to.deep.equal(first);
    expect(first.some((l) => l.endsWith('=?'))).to.equal(true);
    expect(first.some((l) => /\?$/.test(l) && !l.endsWith('=?'))).to.equal(true);
    expect(first.some((l) => /[\u0000-\u001f\u0080-\u00ff]/.test(l))).to.equal(true);
    expect(first.some((l) => l.length > 2048)).to.equal(true);
  });

  it('3 000 lines (seed 1): no internal error, and AT answers OK after every 500', async () => {
    const report = await fuzzModem({ seed: 1, lines: 3000 });
    expect(report.internalErrors).to.deep.equal([]);
    expect(report.checkpoints).to.equal(6);
    expect(report.unanswered).to.equal(0);
  });
});
