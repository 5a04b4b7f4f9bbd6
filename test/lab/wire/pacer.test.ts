// The pacer on a simulated clock: what it releases, and when, depends on the bytes and the times they
// were written, never on how the writes were cut into chunks; each byte leaves when the line finishes it.
import { expect } from 'chai';
import { Pacer } from '../../../lab/wire/pacer.ts';
import { ManualClock } from '../../../shared/manual-clock.ts';

const RATE = 11_520; // 115200 baud 8N1

interface Release {
  t: number;
  bytes: string;
}

function run(writes: Array<{ at: number; chunks: string[] }>, until: number): Release[] {
  const clock = new ManualClock();
  const out: Release[] = [];
  const pacer = new Pacer(
    RATE,
    (bytes) => out.push({ t: clock.now(), bytes: Buffer.from(bytes).toString() }),
    clock,
  );
  for (const write of writes) {
    clock.advanceTo(write.at);
    for (const chunk of write.chunks) pacer.push(Buffer.from(chunk));
  }
  clock.advanceTo(until);
  return out;
}

const LONG = 'x'.repeat(1000);

describe('the pacer on simulated time', () => {
  it('releases the same bytes at the same times however the writes were chunked', () => {
    const whole = run([{ at: 0, chunks: [`AT+QISEND=0,1000\r${LONG}`] }], 1000);
    const cut = run(
      [{ at: 0, chunks: ['AT+QI', 'SEND=0,1000\r', LONG.slice(0, 333), LONG.slice(333)] }],
      1000,
    );
    const bytes = cut.map((r) => r.bytes.length);
    expect(cut).to.deep.equal(whole);
    expect(bytes.length).to.be.greaterThan(5, 'a long burst trickles in slices');
  });

  it('finishes each byte at its line time: the last of 1017 bytes at 1017 / 11 520 s', () => {
    const releases = run([{ at: 5, chunks: [`AT+QISEND=0,1000\r${LONG}`] }], 1000);
    const total = releases.reduce((sum, r) => sum + r.bytes.length, 0);
    expect(total).to.equal(1017);
    const last = releases[releases.length - 1] as Release;
    expect(last.t).to.be.closeTo(5 + (1017 * 1000) / RATE, 1e-6);
    // No slice runs ahead of the line: by each release, at most the bytes the line has finished.
    let sent = 0;
    for (const release of releases) {
      sent += release.bytes.length;
      expect(sent).to.be.at.most(Math.floor(((release.t - 5) * RATE) / 1000 + 1e-6));
    }
  });

  it('queues a write made while the line is busy behind it, and starts an idle line at the write', () => {
    const releases = run(
      [
        { at: 0, chunks: ['a'.repeat(115)] },
        { at: 3, chunks: ['b'.repeat(10)] },
        { at: 100, chunks: ['c'] },
      ],
      200,
    );
    const text = releases.map((r) => r.bytes).join('');
    expect(text).to.equal(`${'a'.repeat(115)}${'b'.repeat(10)}c`);
    const bEnd = releases.find((r) => r.bytes.endsWith('b')) as Release;
    expect(bEnd.t).to.be.closeTo((125 * 1000) / RATE, 1e-6);
    const c = releases.find((r) => r.bytes === 'c') as Release;
    expect(c.t).to.be.closeTo(100 + 1000 / RATE, 1e-6);
  });

  it('holds the line through a pause and fires a mark when the line reaches it', () => {
    const clock = new ManualClock();
    const events: string[] = [];
    const pacer = new Pacer(
      RATE,
      (bytes) => events.push(`${clock.now().toFixed(3)} ${Buffer.from(bytes)}`),
      clock,
    );
    pacer.push(Buffer.from('ab'));
    pacer.mark(() => events.push(`${clock.now().toFixed(3)} mark`));
    pacer.pause(50);
    pacer.push(Buffer.from('c'));
    clock.advanceTo(100);
    expect(events).to.deep.equal([
      `${((2 * 1000) / RATE).toFixed(3)} ab`,
      `${((2 * 1000) / RATE).toFixed(3)} mark`,
      `${((2 * 1000) / RATE + 50 + 1000 / RATE).toFixed(3)} c`,
    ]);
  });
});

describe('the pacer while simulated time moves', () => {
  it('times bytes a process wrote while it fired its timers (the clock jumped, runner timers still due) from the new time', () => {
    const clock = new ManualClock();
    const out: Release[] = [];
    const pacer = new Pacer(
      RATE,
      (bytes) => out.push({ t: clock.now(), bytes: Buffer.from(bytes).toString() }),
      clock,
    );
    pacer.push(Buffer.from('OK'));
    clock.advanceTo(10);
    // A move to 300: the processes hear the new time first; the runner's clock jumps without firing.
    clock.setTimeout(() => undefined, 290);
    clock.jumpTo(300);
    pacer.push(Buffer.from('+CEREG: 1'));
    clock.advanceTo(400);
    expect(out.map((r) => r.bytes)).to.deep.equal(['OK', '+CEREG: 1']);
    expect((out[1] as Release).t).to.be.closeTo(300 + (9 * 1000) / RATE, 1e-9);
    expect(() => clock.jumpTo(200)).to.throw(/cannot jump/);
  });
});
