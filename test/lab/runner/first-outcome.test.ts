import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { firstOutcome, type OutcomeSource } from '../../../lab/runner/first-outcome.ts';

describe('firstOutcome', () => {
  it('settles with the first source to settle, and tells every source to stop', async () => {
    const stopped: string[] = [];
    const source =
      (name: string, ms: number): OutcomeSource<string> =>
      (stop) => {
        stop.addEventListener('abort', () => stopped.push(name), { once: true });
        return sleep(ms, name, { signal: stop });
      };
    expect(await firstOutcome([source('slow', 5_000), source('fast', 1), source('never', 60_000)])).to.equal(
      'fast',
    );
    expect(stopped.sort()).to.deep.equal(['fast', 'never', 'slow']);
  });

  it('passes on a source that fails first, and still stops the others', async () => {
    let stopped = false;
    const failing: OutcomeSource<string> = () => Promise.reject(new Error('gone'));
    const waiting: OutcomeSource<string> = (stop) =>
      new Promise((resolve) => {
        stop.addEventListener('abort', () => {
          stopped = true;
          resolve('stopped');
        });
      });
    let caught: unknown;
    try {
      await firstOutcome([waiting, failing]);
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(Error).with.property('message', 'gone');
    expect(stopped).to.equal(true);
  });
});
