// The runner's check that a scenario's declared datagram faults fired (lab/runner/fault-checks.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { emptyDirectionStats } from '../../../lab/faults/fault-path.ts';
import { checkFaultsFired, unfired } from '../../../lab/runner/fault-checks.ts';

const proxy = (toServer: object, toClient: object) => ({
  stats: {
    toServer: { ...emptyDirectionStats(), ...toServer },
    toClient: { ...emptyDirectionStats(), ...toClient },
  },
});

describe('declared datagram faults must fire', () => {
  it('a drop counted in either direction satisfies a declared drop', () => {
    expect(unfired({ drop: 4 }, [proxy({}, { dropped: 1 })])).to.deep.equal([]);
    expect(unfired({ toServer: { drop: 4 } }, [proxy({ dropped: 2 }, {})])).to.deep.equal([]);
  });

  it('names each declared fault that never fired', () => {
    expect(unfired({ drop: 4, duplicate: 5, reorder: 3 }, [proxy({ duplicated: 1 }, {})])).to.deep.equal([
      'the scenario declares faults.drop, but the proxy counted dropped = 0',
    ]);
    expect(unfired({ toClient: { corruptAppData: 1 } }, [proxy({}, {})])).to.have.length(1);
  });

  it('fails a passed run from its faults.json, and passes one without faults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fault-checks-'));
    try {
      const file = join(dir, 'faults.json');
      writeFileSync(file, JSON.stringify({ servers: {}, proxies: { 'dtls-echo': proxy({}, {}) } }));
      const failed = checkFaultsFired(file, { drop: 4 }, { m: 1 });
      expect(failed).to.include({ status: 'failed', step: 'check the datagram faults fired' });
      expect(failed.metrics).to.deep.equal({ m: 1 });
      expect(checkFaultsFired(join(dir, 'missing.json'), undefined, {}).status).to.equal('passed');
      expect(checkFaultsFired(join(dir, 'missing.json'), { drop: 4 }, {}).status).to.equal('failed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
