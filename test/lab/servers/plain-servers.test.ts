import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { type Lab, startLab } from '../../../lab/servers/lab.ts';
import { sharedTestPki } from '../pki/shared-test-pki.ts';
import { EventLog } from './event-log.ts';
import { closed, echoRoundTrip, openTcp, readToEnd, udpRoundTrip } from './lab-clients.ts';

describe('lab/servers plain TCP and UDP servers', () => {
  let lab: Lab;
  const log = new EventLog();

  before(async function () {
    this.timeout(30_000); // the first run of the suite may have to generate the PKI
    lab = await startLab({
      kinds: ['tcp-echo', 'tcp-discard', 'tcp-daytime', 'udp-echo'],
      pki: await sharedTestPki(),
      onEvent: log.hook,
    });
  });
  after(() => lab?.close());

  it('listens on 127.0.0.1 under the lab names', () => {
    expect(lab.server('tcp-echo')).to.include({ host: 'echo.tlssim.test', address: '127.0.0.1' });
    expect(lab.server('tcp-discard').host).to.equal('discard.tlssim.test');
    expect(lab.server('tcp-daytime').host).to.equal('daytime.tlssim.test');
    expect(lab.server('udp-echo').host).to.equal('echo.tlssim.test');
    expect(lab.server('tcp-echo').port).to.be.above(0);
  });

  it('TCP echo returns every byte, for the Greentea sizes and a 256 KiB burst', async () => {
    const socket = await openTcp(lab.server('tcp-echo'));
    try {
      for (const size of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100, 500, 1000, 1200, 256 * 1024]) {
        const payload = randomBytes(size);
        expect((await echoRoundTrip(socket, payload)).equals(payload), `size ${size}`).to.equal(true);
      }
    } finally {
      socket.destroy();
    }
  });

  it('TCP discard reads and drops: nothing comes back, the bytes are counted', async () => {
    const socket = await openTcp(lab.server('tcp-discard'));
    const received: Buffer[] = [];
    socket.on('data', (chunk) => received.push(chunk));
    const before = lab.stats('tcp-discard').bytesIn;
    socket.write(randomBytes(5000));
    await log.until(() => lab.stats('tcp-discard').bytesIn === before + 5000);
    socket.end();
    await closed(socket);
    expect(Buffer.concat(received).length).to.equal(0);
    expect(lab.stats('tcp-discard').bytesOut).to.equal(0);
  });

  it('TCP daytime sends one short line (RFC 867) and closes', async () => {
    const socket = await openTcp(lab.server('tcp-daytime'));
    const text = (await readToEnd(socket)).toString('latin1');
    expect(text).to.match(/^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}\r\n$/);
    expect(text.length).to.be.within(10, 29);
  });

  it('UDP echo returns each datagram whole, to its sender', async () => {
    for (const size of [1, 100, 1200, 8000]) {
      const payload = randomBytes(size);
      expect((await udpRoundTrip(lab.server('udp-echo'), payload)).equals(payload), `size ${size}`).to.equal(
        true,
      );
    }
    expect(lab.stats('udp-echo').datagrams).to.be.at.least(4);
    expect(log.events.some((event) => event.kind === 'udp-echo' && event.type === 'data-out')).to.equal(true);
  });

  it('counts connections and bytes, and reports them to the event hook', async () => {
    const before = { ...lab.stats('tcp-echo') };
    const socket = await openTcp(lab.server('tcp-echo'));
    await echoRoundTrip(socket, Buffer.from('hello'));
    socket.end();
    await log.until(() => lab.stats('tcp-echo').active === before.active);
    const after = lab.stats('tcp-echo');
    expect(after.connections).to.equal(before.connections + 1);
    expect(after.bytesIn - before.bytesIn).to.equal(5);
    expect(after.bytesOut - before.bytesOut).to.equal(5);
    const remote = `127.0.0.1:${socket.localPort}`;
    const types = log.events.filter((event) => event.remote === remote).map((event) => event.type);
    expect(types).to.deep.equal(['connection', 'data-in', 'data-out', 'close']);
  });

  it('survives clients that reset mid-stream or send garbage, and keeps serving', async () => {
    const rude = await openTcp(lab.server('tcp-echo'));
    rude.write(randomBytes(100_000));
    rude.resetAndDestroy();
    const daytime = await openTcp(lab.server('tcp-daytime'));
    daytime.resetAndDestroy();
    const garbage = await openTcp(lab.server('tcp-discard'));
    garbage.end(Buffer.from([0xff, 0xf4, 0xff, 0xfd, 0x06, 0x00]));
    await closed(garbage);
    const socket = await openTcp(lab.server('tcp-echo'));
    expect((await echoRoundTrip(socket, Buffer.from('still here'))).toString()).to.equal('still here');
    socket.destroy();
  });
});
