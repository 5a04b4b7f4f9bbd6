// The wire between two processes that dial in over tcp:// UARTs: two listening ends, joined into one
// Wire once both processes have connected. Either process may die before dialling in, so joining is
// an event, and closing covers every state: still listening, one end connected, or joined.
import { log } from '../../shared/log.ts';
import { listenWireEnd } from './tcp-wire-end.ts';
import { parseFrame } from './uart-frame.ts';
import { Wire, type WireCounters, type WireOptions } from './wire.ts';

const wireLog = log.child('wire');

export interface TcpWire {
  /** where the MCU process dials in: --uart tcp://127.0.0.1:PORT */
  mcuPort: number;
  modemPort: number;
  /** bytes carried each way so far; zero until both ends have connected */
  readonly counters: WireCounters;
  /** Stops listening, hangs up on both processes and stops the pacers; settles once the sockets closed. */
  close(): Promise<void>;
}

export async function listenTcpWire(options: WireOptions, host = '127.0.0.1'): Promise<TcpWire> {
  // A bad frame fails here, not later inside the join where nobody would hear of it.
  parseFrame(options.frame ?? '8N1');
  const mcuEnd = await listenWireEnd(host);
  const modemEnd = await listenWireEnd(host).catch(async (error: unknown) => {
    await mcuEnd.close();
    throw error;
  });
  wireLog.debug(`listening: MCU end on port ${mcuEnd.port}, modem end on port ${modemEnd.port}`);
  let wire: Wire | null = null;
  let closing: Promise<void> | null = null;
  void Promise.all([mcuEnd.connected, modemEnd.connected]).then(([mcu, modem]) => {
    // A process that dials in as the run ends finds the end already hung up on.
    if (closing) return;
    wire = new Wire(mcu, modem, options);
    wireLog.debug('both ends connected; the wire is carrying bytes');
  });
  return {
    mcuPort: mcuEnd.port,
    modemPort: modemEnd.port,
    get counters() {
      return { ...(wire?.counters ?? { tx: 0, rx: 0 }) };
    },
    close() {
      closing ??= (async () => {
        wire?.close();
        await Promise.all([mcuEnd.close(), modemEnd.close()]);
        const { tx, rx } = wire?.counters ?? { tx: 0, rx: 0 };
        wireLog.debug(`closed after ${tx} bytes MCU → modem, ${rx} bytes modem → MCU`);
      })();
      return closing;
    },
  };
}
