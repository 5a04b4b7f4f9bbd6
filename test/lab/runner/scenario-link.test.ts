// A scenario's link key is checked when it loads (naming the key), and `tlssim run --link` is a usage
// error for a bad profile before anything starts.
import { expect } from 'chai';
import { runCommand } from '../../../lab/cli/run-command.ts';
import { scenarioProblems } from '../../../lab/runner/scenario-files.ts';
import type { ScenarioDefinition } from '../../../lab/scenario/scenario-types.ts';

const scenario = (extra: Partial<ScenarioDefinition> = {}): ScenarioDefinition => ({
  name: 's',
  app: async () => {},
  ...extra,
});

describe('a scenario’s link', () => {
  it('is a known key taking a profile name or figures; a bad one is a load problem naming the key', () => {
    expect(scenarioProblems(scenario({ link: 'nb-iot' }))).to.deep.equal([]);
    expect(scenarioProblems(scenario({ link: { profile: 'lte-m', delayMs: 120 } }))).to.deep.equal([]);
    expect(scenarioProblems(scenario({ link: 'satellite' }))[0]).to.match(
      /link: unknown profile "satellite"/,
    );
    expect(scenarioProblems(scenario({ link: { datagramLoss: 3 } }))[0]).to.match(
      /link\.datagramLoss must be/,
    );
  });

  it('tlssim run --link with an unknown profile is a usage error', async () => {
    let thrown: unknown;
    try {
      await runCommand.run(['--link', 'satellite', 'scenarios/plain-tcp-echo.ts']);
    } catch (error) {
      thrown = error;
    }
    expect(String(thrown)).to.match(/--link: link: unknown profile "satellite"/);
  });
});
