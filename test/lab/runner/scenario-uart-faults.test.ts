// A scenario's uartFaults key is checked when it loads (naming the key), and the spec in force is the
// CLI's over the scenario's, with --seed over either's seed.
import { expect } from 'chai';
import { emptyUartFaultStats } from '../../../lab/faults/uart-fault-line.ts';
import { runUartFaults, uartFaultSpecOf } from '../../../lab/runner/run-uart-faults.ts';
import { scenarioProblems } from '../../../lab/runner/scenario-files.ts';
import type { ScenarioDefinition } from '../../../lab/scenario/scenario-types.ts';

const scenario = (extra: Partial<ScenarioDefinition> = {}): ScenarioDefinition => ({
  name: 's',
  app: async () => {},
  ...extra,
});

describe('a scenario’s uartFaults', () => {
  it('is a known key, and a bad spec is a load problem naming the key', () => {
    expect(scenarioProblems(scenario({ uartFaults: { seed: 1, rx: { bitErrorRate: 1e-4 } } }))).to.deep.equal(
      [],
    );
    expect(scenarioProblems(scenario({ uartFaults: { rx: { drop: 5 } } }))).to.deep.equal([
      'uartFaults.rx.drop is a probability 0..1, got 5',
    ]);
    const misspelt = { uartFault: {} } as unknown as Partial<ScenarioDefinition>;
    expect(scenarioProblems(scenario(misspelt))[0]).to.match(/unknown key "uartFault"/);
  });

  it('the CLI’s spec wins over the scenario’s, --seed over either seed; none gives no result field', () => {
    const own = scenario({ uartFaults: { seed: 1, tx: { drop: 0.1 } } });
    expect(uartFaultSpecOf(own, undefined, undefined)).to.deep.equal({ seed: 1, tx: { drop: 0.1 } });
    expect(uartFaultSpecOf(own, undefined, 9)).to.deep.equal({ seed: 9, tx: { drop: 0.1 } });
    expect(uartFaultSpecOf(own, { rx: { noise: 0.5 } }, 9)).to.deep.equal({ seed: 9, rx: { noise: 0.5 } });
    expect(uartFaultSpecOf(scenario(), undefined, 9)).to.equal(undefined);
    const stats = {
      tx: { ...emptyUartFaultStats(), bytesCorrupted: 3 },
      rx: { ...emptyUartFaultStats(), bytesCorrupted: 4 },
    };
    expect(runUartFaults({ seed: 1 }, stats)?.bytesCorrupted).to.equal(7);
    expect(runUartFaults(undefined, stats)).to.equal(undefined);
  });
});
