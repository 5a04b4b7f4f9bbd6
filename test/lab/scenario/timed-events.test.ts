// A scenario's `events` key: checked at load (naming the entry and field), sent in time order on the
// app's network, and cancelled when the app ends.
import { expect } from 'chai';
import { scenarioProblems } from '../../../lab/runner/scenario-files.ts';
import type { AppNetwork } from '../../../lab/scenario/app-network.ts';
import type { ScenarioDefinition } from '../../../lab/scenario/scenario-types.ts';
import { scheduleTimedEvents } from '../../../lab/scenario/timed-events.ts';

const scenario = (extra: Partial<ScenarioDefinition>): ScenarioDefinition => ({
  name: 's',
  app: async () => {},
  ...extra,
});

describe('a scenario’s timed events', () => {
  it('a known key; a bad entry is a load problem naming the entry and field', () => {
    expect(scenarioProblems(scenario({ events: [{ atMs: 100, event: 'pdp-deactivate' }] }))).to.deep.equal(
      [],
    );
    const bad = {
      events: [
        { atMs: -5, event: 'pdp-deactivate' },
        { atMs: 10, event: 'earthquake' },
      ],
    };
    expect(scenarioProblems(scenario(bad as unknown as Partial<ScenarioDefinition>))).to.deep.equal([
      'events[0].atMs must be a number of ms from 0 to 3600000, got -5',
      'events[1].event: unknown event "earthquake"',
    ]);
  });

  it('sends each event on the app’s network in time order; stop cancels the rest', async () => {
    const sent: string[] = [];
    const network: AppNetwork = {
      event: async (event) => {
        const spec = typeof event === 'string' ? { event } : event;
        sent.push(`${spec.event}${spec.connectId === undefined ? '' : `#${spec.connectId}`}`);
        return { event: spec.event, sockets: [] };
      },
    };
    const stop = scheduleTimedEvents(
      [
        { atMs: 30, event: 'reattach' },
        { atMs: 5, event: 'detach' },
        { atMs: 10, event: 'server-reset', connectId: 2 },
        { atMs: 60_000, event: 'modem-reboot' },
      ],
      network,
      () => undefined,
      () => undefined,
    );
    for (let i = 0; i < 200 && sent.length < 3; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    stop();
    expect(sent).to.deep.equal(['detach', 'server-reset#2', 'reattach']);
  });
});
