// The cellular link's shaping on a manual clock: delay, bandwidth, order, jitter and loss, and the
// profile specs a scenario or --link may give.
import { expect } from 'chai';
import { LINK_PROFILES, resolveLinkProfile } from '../../../modem/link/link-profile.ts';
import { LinkShaper } from '../../../modem/link/link-shaper.ts';
import { ManualClock } from '../../../shared/manual-clock.ts';

const custom = (figures: Parameters<typeof resolveLinkProfile>[0]) => resolveLinkProfile(figures);

describe('modem/link: the cellular link between the modem and the network', () => {
  it('delivers after the one-way delay plus the serialisation time at the direction’s bandwidth', () => {
    const clock = new ManualClock();
    const shaper = new LinkShaper(custom({ delayMs: 100, upBps: 8_000 }), clock, 1, 'test', true);
    const arrived: number[] = [];
    shaper.up.carry(1000, () => arrived.push(clock.now())); // 1000 B at 8 kbit/s: 1 s on the air
    shaper.up.carry(500, () => arrived.push(clock.now())); // queued behind it: another 0.5 s
    clock.advance(1099);
    expect(arrived).to.deep.equal([]);
    clock.advance(1);
    expect(arrived).to.deep.equal([1100]);
    clock.advance(500);
    expect(arrived).to.deep.equal([1100, 1600]);
    expect(shaper.up.inFlightBytes).to.equal(0);
  });

  it('a stream keeps its order under jitter; its in-flight bytes count until delivered', () => {
    const clock = new ManualClock();
    const shaper = new LinkShaper(custom({ delayMs: 50, jitterMs: 40 }), clock, 7, 'stream', true);
    const order: number[] = [];
    for (let i = 0; i < 50; i++) shaper.down.carry(10, () => order.push(i));
    expect(shaper.down.inFlightBytes).to.equal(500);
    while (clock.advanceToNext()) {}
    expect(order).to.deep.equal([...Array(50).keys()]);
    expect(shaper.down.inFlightBytes).to.equal(0);
  });

  it('datagrams may be reordered by jitter and are lost at the profile’s rate, the same way for the same seed', () => {
    const run = (seed: number) => {
      const clock = new ManualClock();
      const shaper = new LinkShaper(
        custom({ delayMs: 50, jitterMs: 40, datagramLoss: 0.2 }),
        clock,
        seed,
        'dgram',
        false,
      );
      const order: number[] = [];
      for (let i = 0; i < 1000; i++) if (!shaper.up.loses()) shaper.up.carry(20, () => order.push(i));
      while (clock.advanceToNext()) {}
      return order;
    };
    const first = run(3);
    expect(run(3)).to.deep.equal(first);
    expect(first.length).to.be.within(740, 860); // 20 % lost, give or take
    expect(first.some((value, index) => index > 0 && value < first[index - 1])).to.equal(true);
  });

  it('stop drops what is still on the way', () => {
    const clock = new ManualClock();
    const shaper = new LinkShaper(LINK_PROFILES['nb-iot'], clock, 1, 'stop', true);
    let delivered = false;
    shaper.up.carry(10, () => {
      delivered = true;
    });
    shaper.stop();
    while (clock.advanceToNext()) {}
    expect(delivered).to.equal(false);
  });

  it('specs: a profile name, figures, or a profile with figures; anything else names the key', () => {
    expect(resolveLinkProfile(undefined).name).to.equal('ideal');
    expect(resolveLinkProfile('nb-iot')).to.include({ delayMs: 800, downBps: 32_000 });
    expect(resolveLinkProfile({ profile: 'lte-m', delayMs: 200 })).to.include({
      name: 'custom',
      delayMs: 200,
      upBps: 375_000,
    });
    expect(() => resolveLinkProfile('5g')).to.throw('unknown profile "5g"');
    expect(() => resolveLinkProfile({ delayMs: -1 })).to.throw('link.delayMs must be a number from 0');
    expect(() => resolveLinkProfile({ datagramLoss: 2 })).to.throw('link.datagramLoss');
    expect(() => resolveLinkProfile({ latency: 5 } as never)).to.throw('link.latency: unknown key');
  });
});
