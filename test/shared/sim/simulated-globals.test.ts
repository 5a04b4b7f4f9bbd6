// The MCU process on simulated time: the app's setTimeout, setInterval and performance.now() read the
// part's clock, so an application sleep or a library keepalive costs simulated time, not host time.
import { expect } from 'chai';
import { ManualClock } from '../../../shared/manual-clock.ts';
import { installSimulatedGlobals } from '../../../shared/sim/simulated-globals.ts';

describe('simulated globals', () => {
  it('setTimeout, setInterval, clearTimeout and performance.now() follow the clock, and are put back', () => {
    const clock = new ManualClock();
    const realSetTimeout = globalThis.setTimeout;
    const fired: string[] = [];
    const restore = installSimulatedGlobals(clock);
    try {
      setTimeout((what: string) => fired.push(`${performance.now()} ${what}`), 5000, 'sleep');
      const cancelled = setTimeout(() => fired.push('cancelled'), 100);
      clearTimeout(cancelled);
      let ticks = 0;
      const interval = setInterval(() => {
        fired.push(`${performance.now()} tick`);
        if (++ticks === 3) clearInterval(interval);
      }, 1000);
      // Libraries ref, unref and refresh Node timers; the simulated ones take it.
      const keepalive = setTimeout(() => fired.push(`${performance.now()} keepalive`), 1500);
      keepalive.unref().ref();
      // As Node, a zero delay is 1 ms: a poll loop moves time forward.
      setTimeout(() => fired.push(`${performance.now()} zero`), 0);
      clock.advanceTo(1200);
      keepalive.refresh();
      expect(performance.now()).to.equal(1200);
      clock.advanceTo(10_000);
    } finally {
      restore();
    }
    expect(fired).to.deep.equal([
      '1 zero',
      '1000 tick',
      '2000 tick',
      '2700 keepalive',
      '3000 tick',
      '5000 sleep',
    ]);
    expect(globalThis.setTimeout).to.equal(realSetTimeout);
    expect(performance.now()).to.be.greaterThan(0);
  });
});

describe('simulated globals: the timers modules', () => {
  it('node:timers, node:timers/promises and util.promisify(setTimeout) sleep on the clock too', async () => {
    const clock = new ManualClock();
    const timers = await import('node:timers');
    const timersPromises = await import('node:timers/promises');
    const { promisify } = await import('node:util');
    const restore = installSimulatedGlobals(clock);
    const woke: string[] = [];
    try {
      void timersPromises.setTimeout(2000, 'awaited').then((value) => woke.push(`${clock.now()} ${value}`));
      void promisify(setTimeout)(3000).then(() => woke.push(`${clock.now()} promisified`));
      timers.setTimeout(() => woke.push(`${clock.now()} node:timers`), 1000);
      const aborted = new AbortController();
      const cancelled = timersPromises
        .setTimeout(500, 'never', { signal: aborted.signal })
        .catch(() => 'aborted');
      aborted.abort();
      expect(await cancelled).to.equal('aborted');
      // As the coordinator moves time: to the next timer, then let what it woke run.
      while (clock.advanceToNext()) await new Promise((resolve) => setImmediate(resolve));
    } finally {
      restore();
    }
    expect(woke).to.deep.equal(['1000 node:timers', '2000 awaited', '3000 promisified']);
    expect(timers.setTimeout).to.equal(globalThis.setTimeout);
  });
});
