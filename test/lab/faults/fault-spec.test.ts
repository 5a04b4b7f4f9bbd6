import { expect } from 'chai';
import { parseFaultSpec, resolveFaults } from '../../../lab/faults/fault-spec.ts';

describe('lab/faults: fault spec (plain JSON)', () => {
  it('takes udp_proxy-style faults from JSON text and fills defaults per direction', () => {
    const spec = parseFaultSpec(
      JSON.parse(
        '{"seed":7,"drop":4,"duplicate":10,"reorder":3,"mtu":1200,"toServer":{"delayHandshake":["ClientKeyExchange"]},"toClient":{"drop":0,"badAd":true}}',
      ),
    );
    const up = resolveFaults(spec, 'to-server');
    const down = resolveFaults(spec, 'to-client');
    expect(up).to.include({
      drop: 4,
      duplicate: 10,
      reorder: 3,
      mtu: 1200,
      badAd: false,
      delayMs: 50,
      reorderMs: 20,
    });
    expect(up.delayHandshake).to.deep.equal(['ClientKeyExchange']);
    expect(down).to.include({ drop: 0, duplicate: 10, badAd: true });
    expect(down.delayHandshake).to.deep.equal([]);
  });

  it('an empty spec means no faults', () => {
    const none = resolveFaults(parseFaultSpec({}), 'to-client');
    expect(none).to.include({
      drop: 0,
      duplicate: 0,
      delay: 0,
      reorder: 0,
      corruptAppData: 0,
      truncate: 0,
      garbage: 0,
    });
    expect(none.mtu).to.equal(undefined);
  });

  it('refuses bad input with the field named', () => {
    const bad: Array<[unknown, RegExp]> = [
      [null, /faults must be an object/],
      [[1], /faults must be an object/],
      [{ dorp: 4 }, /unknown fault "dorp"/],
      [{ drop: -1 }, /faults\.drop must be an integer from 0 to 1000000000, got -1/],
      [{ drop: 2.5 }, /faults\.drop/],
      [{ mtu: 0 }, /faults\.mtu must be an integer from 1 to 65535/],
      [{ mtu: 70000 }, /faults\.mtu must be an integer from 1 to 65535, got 70000/],
      [{ reorder: 1e9 }, /faults\.reorder must be an integer from 0 to 1000/],
      [{ delayMs: 3_600_000 }, /faults\.delayMs must be an integer from 0 to 60000/],
      [{ toServer: { drop: 1e12 } }, /faults\.toServer\.drop must be an integer from 0 to 1000000000/],
      [{ badAd: 'yes' }, /faults\.badAd must be true or false/],
      [{ seed: -3 }, /faults\.seed/],
      [{ toServer: { delayHandshake: ['Hello'] } }, /faults\.toServer\.delayHandshake must list/],
      [{ toClient: { seed: 1 } }, /faults\.toClient: unknown fault "seed"/],
      [{ toClient: 3 }, /faults\.toClient must be an object/],
    ];
    for (const [value, message] of bad)
      expect(() => parseFaultSpec(value), JSON.stringify(value)).to.throw(message);
  });

  it('does not change the object it was given', () => {
    const input = { drop: 2, toServer: { drop: 3 } };
    const spec = parseFaultSpec(input);
    spec.toServer!.drop = 9;
    expect(input.toServer.drop).to.equal(3);
  });
});
