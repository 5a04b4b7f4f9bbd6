// The wire between two processes over tcp:// UART ends: joined once both dial in, and closed cleanly
// from every state (nobody dialled in, one end, both).
import { once } from 'node:events';
import net from 'node:net';
import { expect } from 'chai';
import { listenTcpWire } from '../../../lab/wire/tcp-wire.ts';

async function dial(port: number): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  await once(socket, 'connect');
  return socket;
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('the wire over tcp:// UART ends', () => {
  it('joins the two ends once both dialled in, carries bytes both ways, and counts them', async () => {
    const wire = await listenTcpWire({ baud: 115200, pacing: false });
    const mcu = await dial(wire.mcuPort);
    const modem = await dial(wire.modemPort);
    mcu.write('AT\r');
    expect(String((await once(modem, 'data'))[0])).to.equal('AT\r');
    modem.write('\r\nOK\r\n');
    expect(String((await once(mcu, 'data'))[0])).to.equal('\r\nOK\r\n');
    expect(wire.counters).to.deep.equal({ tx: 3, rx: 6 });
    const hungUp = Promise.all([once(mcu, 'close'), once(modem, 'close')]);
    await wire.close();
    await hungUp;
    expect(await refused(wire.mcuPort)).to.equal(true);
    expect(wire.counters).to.deep.equal({ tx: 3, rx: 6 });
  });

  it('closes while nobody has dialled in: both ports refuse afterwards, and the counters stay zero', async () => {
    const wire = await listenTcpWire({ baud: 115200 });
    await wire.close();
    expect(await refused(wire.mcuPort)).to.equal(true);
    expect(await refused(wire.modemPort)).to.equal(true);
    expect(wire.counters).to.deep.equal({ tx: 0, rx: 0 });
  });

  it('hangs up on a process that dialled in alone when closed, and a second close is the same close', async () => {
    const wire = await listenTcpWire({ baud: 115200 });
    const mcu = await dial(wire.mcuPort);
    const hungUp = once(mcu, 'close');
    const closing = wire.close();
    expect(wire.close()).to.equal(closing);
    await closing;
    await hungUp;
    expect(await refused(wire.modemPort)).to.equal(true);
  });

  it('refuses a bad frame before it listens', async () => {
    let caught: unknown;
    try {
      await listenTcpWire({ baud: 115200, frame: '9N1' });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(Error).with.property('message').that.matches(/8N1/);
  });
});
