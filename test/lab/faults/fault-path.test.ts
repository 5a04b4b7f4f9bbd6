// One direction of the fault proxy on a manual clock: every fault, deterministic, no sockets.
import { expect } from 'chai';
import { CONTENT_TYPE, parseDtlsDatagram } from '../../../lab/faults/dtls-records.ts';
import { type FaultEvent, FaultPath } from '../../../lab/faults/fault-path.ts';
import { type DatagramFaultSpec, parseFaultSpec, resolveFaults } from '../../../lab/faults/fault-spec.ts';
import { ManualClock } from '../../../shared/manual-clock.ts';
import { SeededRandom } from '../../../shared/seeded-random.ts';
import { applicationData, changeCipherSpec, handshake } from './dtls-datagrams.ts';

function path(spec: DatagramFaultSpec, seed = spec.seed ?? 1) {
  const clock = new ManualClock();
  const out: Buffer[] = [];
  const events: FaultEvent[] = [];
  const faults = resolveFaults(parseFaultSpec(spec), 'to-client');
  const p = new FaultPath(
    'to-client',
    faults,
    SeededRandom.derive(seed, 'to-client'),
    clock,
    (d) => out.push(d),
    (e) => events.push(e),
  );
  return { p, clock, out, events };
}

const numbered = (i: number) => applicationData(20, i);

describe('lab/faults: FaultPath (one direction)', () => {
  it('without faults: every datagram on, unchanged and in order', () => {
    const { p, out } = path({});
    const sent = [1, 2, 3].map(numbered);
    for (const d of sent) p.push(d);
    expect(out).to.deep.equal(sent);
    expect(p.stats).to.include({ received: 3, forwarded: 3, dropped: 0, bytesIn: 3 * 33, bytesOut: 3 * 33 });
  });

  it('drop 1 in N: about that share, and the same datagrams again for the same seed', () => {
    const run = (seed: number) => {
      const { p, out } = path({ drop: 4 }, seed);
      for (let i = 0; i < 400; i++) p.push(numbered(i % 256));
      return { survivors: out.map((d) => d[13]), dropped: p.stats.dropped };
    };
    const a = run(5);
    expect(a.dropped).to.be.within(70, 130);
    expect(run(5)).to.deep.equal(a);
    expect(run(6).survivors).to.not.deep.equal(a.survivors);
  });

  it('mtu drops what is longer; protectHvr and protectLen shield from drop', () => {
    const { p, out } = path({ mtu: 40, drop: 1, protectHvr: true, protectLen: 33 });
    p.push(applicationData(100)); // over the MTU
    p.push(handshake('HelloVerifyRequest', 10)); // protected
    p.push(applicationData(20)); // 33 bytes: protected length
    p.push(applicationData(21)); // dropped (1 in 1)
    expect(out.map((d) => d.length)).to.deep.equal([35, 33]);
    expect(p.stats).to.include({ droppedMtu: 1, dropped: 1 });
  });

  it('delay holds a datagram on the clock for delayMs', () => {
    const { p, out, clock } = path({ delay: 1, delayMs: 30 });
    p.push(numbered(1));
    expect(out).to.have.length(0);
    clock.advance(29);
    expect(out).to.have.length(0);
    clock.advance(1);
    expect(out).to.deep.equal([numbered(1)]);
    expect(p.stats.delayed).to.equal(1);
  });

  it('delayHandshake holds the first datagram carrying each listed message; delayCcs the first CCS', () => {
    const { p, out, clock } = path({ delayHandshake: ['ServerHello'], delayCcs: true, delayMs: 10 });
    const hello = Buffer.concat([handshake('ServerHello'), handshake('Certificate')]);
    p.push(hello);
    p.push(handshake('ServerHelloDone'));
    p.push(hello); // a retransmission: not delayed again
    p.push(changeCipherSpec());
    p.push(changeCipherSpec());
    expect(out).to.deep.equal([handshake('ServerHelloDone'), hello, changeCipherSpec()]);
    clock.advance(10);
    expect(out.slice(3)).to.deep.equal([hello, changeCipherSpec()]);
    expect(p.stats.delayed).to.equal(2);
  });

  it('duplicate 1 in 1 sends each datagram twice', () => {
    const { p, out } = path({ duplicate: 1 });
    p.push(numbered(1));
    p.push(numbered(2));
    expect(out).to.deep.equal([numbered(1), numbered(1), numbered(2), numbered(2)]);
    expect(p.stats.duplicated).to.equal(2);
  });

  it('reorder: a full window leaves shuffled; a partial one after reorderMs; nothing is lost', () => {
    const { p, out, clock } = path({ reorder: 4, reorderMs: 15 }, 2);
    for (let i = 0; i < 8; i++) p.push(numbered(i));
    p.push(numbered(8));
    expect(out).to.have.length(8);
    expect(out.map((d) => d[13]).sort()).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(out.map((d) => d[13])).to.not.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(p.stats.reordered).to.be.greaterThan(0);
    clock.advance(15);
    expect(out.at(-1)).to.deep.equal(numbered(8));
  });

  it('corruptAppData flips one bit inside the application record (its header intact); other records untouched', () => {
    const { p, out } = path({ corruptAppData: 1 });
    const original = Buffer.concat([changeCipherSpec(), applicationData(30)]);
    p.push(original);
    p.push(handshake('ServerHello'));
    const [corrupted, hello] = out;
    expect(hello).to.deep.equal(handshake('ServerHello'));
    const diff = [...original].flatMap((byte, i) => (byte === corrupted![i] ? [] : [i]));
    expect(diff).to.have.length(1);
    const record = parseDtlsDatagram(original).records[1]!;
    expect(diff[0])
      .to.be.at.least(record.offset + 13)
      .and.below(record.offset + 13 + record.length);
    const bits = original[diff[0]!]! ^ corrupted![diff[0]!]!;
    expect(bits & (bits - 1)).to.equal(0);
    expect(p.stats.corrupted).to.equal(1);
  });

  it('badAd sends a corrupted copy before each datagram carrying application data', () => {
    const { p, out, events } = path({ badAd: true });
    p.push(applicationData(30));
    p.push(handshake('Finished'));
    expect(out).to.have.length(3);
    expect(out[0]).to.not.deep.equal(applicationData(30));
    expect(out[1]).to.deep.equal(applicationData(30));
    expect(events.filter((e) => e.action === 'bad-ad')).to.have.length(1);
    expect(parseDtlsDatagram(out[0]!).records[0]!.contentType).to.equal(CONTENT_TYPE.application_data);
  });

  it('truncate cuts datagrams short; garbage adds random datagrams after them', () => {
    const cut = path({ truncate: 1 });
    cut.p.push(applicationData(50));
    expect(cut.out[0]!.length).to.be.below(63);
    expect(applicationData(50).subarray(0, cut.out[0]!.length)).to.deep.equal(cut.out[0]);
    const junk = path({ garbage: 1 });
    junk.p.push(numbered(1));
    expect(junk.out).to.have.length(2);
    expect(junk.out[0]).to.deep.equal(numbered(1));
    expect(junk.p.stats.garbage).to.equal(1);
  });

  it('inject goes past every fault; close cancels what is held and stops the path', () => {
    const { p, out, clock } = path({ drop: 1, delay: 1 });
    p.inject(Buffer.from('raw'));
    expect(out).to.deep.equal([Buffer.from('raw')]);
    const held = path({ delay: 1, delayMs: 10 });
    held.p.push(numbered(1));
    held.p.close();
    expect(held.clock.pending).to.equal(0);
    held.clock.advance(10);
    held.p.push(numbered(2));
    expect(held.out).to.deep.equal([]);
    expect(clock.pending).to.equal(0);
  });

  it('reset switches faults from then on and restarts the stream (a replay from that point)', () => {
    const { p, out } = path({ drop: 1 });
    p.push(numbered(1));
    p.reset(resolveFaults({}, 'to-client'), new SeededRandom(1));
    p.push(numbered(2));
    expect(out).to.deep.equal([numbered(2)]);
  });
});
