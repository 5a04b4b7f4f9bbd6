// The Mbed TLS timer contract DTLSSocketWrapper implements (DTLSSocketWrapper::timing_set_delay() and timing_get_delay()), on a manual clock.
import { expect } from 'chai';
import {
  DTLS_TIMER_CANCELLED,
  DTLS_TIMER_EXPIRED,
  DTLS_TIMER_INTERMEDIATE,
  DTLS_TIMER_RUNNING,
  DtlsTimer,
} from '../../../mcu/tls/dtls-timer.ts';
import { ManualClock } from '../../../shared/manual-clock.ts';

describe('DtlsTimer (Mbed TLS set_delay / get_delay)', () => {
  let clock: ManualClock;
  let expiries: number;
  let timer: DtlsTimer;
  beforeEach(() => {
    clock = new ManualClock();
    expiries = 0;
    timer = new DtlsTimer(clock, () => expiries++);
  });

  it('get_delay: -1 off, 0 running, 1 past the intermediate, 2 once the final delay expired', () => {
    expect(timer.get_delay()).to.equal(DTLS_TIMER_CANCELLED);
    timer.set_delay(25, 100);
    expect(timer.get_delay()).to.equal(DTLS_TIMER_RUNNING);
    clock.advance(24);
    expect(timer.get_delay()).to.equal(DTLS_TIMER_RUNNING);
    clock.advance(1);
    expect(timer.get_delay()).to.equal(DTLS_TIMER_INTERMEDIATE);
    expect(expiries).to.equal(0);
    clock.advance(75);
    expect(timer.get_delay()).to.equal(DTLS_TIMER_EXPIRED);
    expect(expiries).to.equal(1); // the timer event: once
    clock.advance(1000);
    expect(expiries).to.equal(1);
    expect(timer.get_delay()).to.equal(DTLS_TIMER_EXPIRED);
  });

  it('set_delay(0, 0) cancels: no event, -1, expiry forgotten', () => {
    timer.set_delay(10, 40);
    timer.set_delay(0, 0);
    expect(timer.get_delay()).to.equal(DTLS_TIMER_CANCELLED);
    expect(timer.running).to.equal(false);
    clock.advance(100);
    expect(expiries).to.equal(0);
    timer.set_delay(10, 40);
    clock.advance(40);
    timer.set_delay(0, 0);
    expect(timer.get_delay()).to.equal(DTLS_TIMER_CANCELLED);
  });

  it('re-arming replaces the pending event; cancel() stops it (close)', () => {
    timer.set_delay(250, 1000);
    clock.advance(900);
    timer.set_delay(500, 2000); // a retransmission doubles
    clock.advance(1000);
    expect(expiries).to.equal(0);
    expect(timer.get_delay()).to.equal(DTLS_TIMER_INTERMEDIATE);
    clock.advance(1000);
    expect(expiries).to.equal(1);
    timer.set_delay(250, 1000);
    timer.cancel();
    expect(clock.pending).to.equal(0);
    expect(timer.get_delay()).to.equal(DTLS_TIMER_CANCELLED);
    expect(timer.requests).to.deep.equal([
      [250, 1000],
      [500, 2000],
      [250, 1000],
    ]);
  });
});

describe('ManualClock', () => {
  it('fires timers in deadline order, including ones set while advancing; clearTimeout removes', () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b@20'), 20);
    const dropped = clock.setTimeout(() => fired.push('never'), 15);
    clock.setTimeout(() => {
      fired.push('a@10');
      clock.setTimeout(() => fired.push('c@15'), 5);
    }, 10);
    clock.clearTimeout(dropped);
    clock.advance(30);
    expect(fired).to.deep.equal(['a@10', 'c@15', 'b@20']);
    expect(clock.now()).to.equal(30);
    expect(clock.advanceToNext()).to.equal(false);
    clock.setTimeout(() => fired.push('d'), 7);
    expect(clock.advanceToNext()).to.equal(true);
    expect(clock.now()).to.equal(37);
  });
});
