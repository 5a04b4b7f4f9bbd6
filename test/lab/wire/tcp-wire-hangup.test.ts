// The wire passes a disconnect on over tcp:// UART ends: when the modem's process goes away the MCU's
// tcp:// port is closed, and its ATHandler fails the command in flight and every later one with
// NSAPI_ERROR_DEVICE_ERROR at once, instead of waiting out each command's timeout (20 s for a close).

import { once } from 'node:events';
import net from 'node:net';
import { expect } from 'chai';
import { listenTcpWire } from '../../../lab/wire/tcp-wire.ts';
import { ATHandler } from '../../../mcu/cellular/at-handler.ts';
import { ManualClock } from '../../../shared/manual-clock.ts';
import { NSAPI_ERROR_DEVICE_ERROR, NSAPI_ERROR_OK } from '../../../shared/nsapi.ts';
import { closeUart, openUart } from '../../../shared/uart/open-uart.ts';

async function dial(port: number): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  await once(socket, 'connect');
  return socket;
}

/** A modem that answers every command line with OK. */
function answerOk(modem: net.Socket): void {
  modem.on('data', (chunk: Buffer) => {
    for (const _ of String(chunk).matchAll(/\r/g)) modem.write('\r\nOK\r\n');
  });
}

describe('the tcp wire passes a disconnect on', () => {
  it('the modem process dies: the MCU port closes and AT commands fail with DEVICE_ERROR at once', async () => {
    const hangUps: string[] = [];
    const wire = await listenTcpWire({ baud: 921600, onHangUp: (gone) => hangUps.push(gone) });
    const modem = await dial(wire.modemPort);
    answerOk(modem);
    const port = await openUart(`tcp://127.0.0.1:${wire.mcuPort}`, 921600);
    try {
      // A clock that never moves: the AT timeout cannot fire, so DEVICE_ERROR can only come from the
      // port the wire closed (no wall-clock bound needed).
      const at = new ATHandler(port, { timeoutMs: 20_000, clock: new ManualClock() });
      expect(await at.at_cmd_discard('')).to.equal(NSAPI_ERROR_OK);
      // A command in flight when the modem goes: no answer will come.
      modem.removeAllListeners('data');
      const inFlight = at.at_cmd_discard('+QICLOSE=0');
      await new Promise((r) => setTimeout(r, 20));
      const portClosed = once(port, 'close');
      modem.destroy();
      await portClosed;
      expect(await inFlight).to.equal(NSAPI_ERROR_DEVICE_ERROR);
      expect(await at.at_cmd_discard('+QICLOSE=1')).to.equal(NSAPI_ERROR_DEVICE_ERROR);
      expect(hangUps).to.deep.equal(['modem']);
    } finally {
      await closeUart(port);
      await wire.close();
    }
  });

  it('the MCU process dies: the modem end is hung up on', async () => {
    const wire = await listenTcpWire({ baud: 921600 });
    const modem = await dial(wire.modemPort);
    const mcu = await dial(wire.mcuPort);
    await new Promise((r) => setTimeout(r, 10));
    const hungUp = once(modem, 'close');
    mcu.destroy();
    await hungUp;
    await wire.close();
  });

  it('an end that hangs up before the other dialled in: the other is hung up on as it dials', async () => {
    const wire = await listenTcpWire({ baud: 921600 });
    const mcu = await dial(wire.mcuPort);
    const hungUp = once(mcu, 'close');
    const modem = await dial(wire.modemPort);
    modem.destroy();
    // Joined before the modem's close was seen, or not: either way the MCU's line drops.
    await hungUp;
    await wire.close();
  });

  it('the modem hangs up before the MCU dialled in: the MCU finds no line', async () => {
    const wire = await listenTcpWire({ baud: 921600 });
    const modem = await dial(wire.modemPort);
    modem.destroy();
    await new Promise((r) => setTimeout(r, 20));
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(wire.mcuPort, '127.0.0.1');
      socket.once('error', () => resolve(true));
      socket.once('close', () => resolve(true));
    });
    expect(refused).to.equal(true);
    await wire.close();
  });
});
