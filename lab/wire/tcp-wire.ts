// The wire between two processes that dial in over tcp:// UARTs: two listening ends, joined into one
// Wire once both processes have connected. Either process may die before dialling in, so joining is
// an event, and closing covers every state: still listening, one end connected, or joined. An end that
// hangs up, before or after the join, makes the wire hang up on the other (wire.ts).
import { log } from '../../shared/log.ts';
import { emptyUartFaultStats } from '../faults/uart-fault-line.ts';
import { listenWireEnd } from './tcp-wire-end.ts';
import { parseFrame } from './uart-frame.ts';
import { Wire, type WireCounters, type WireFaultStats, type WireOptions } from './wire.ts';

const wireLog = log.child('wire');

export interface TcpWire {
  /** where the MCU process dials in: --uart tcp://127.0.0.1:PORT */
  mcuPort: number;
  modemPort: number;
  /** bytes carried each way so far; zero until both ends have connected */
  readonly counters: WireCounters;
  /** bytes read from each end so far (tx from the MCU, rx from the modem); zero until the join */
  readonly read: WireCounters;
  /** what the UART faults did each way; all zero without faults or before the join */
  readonly faultStats: WireFaultStats;
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
  let goneBeforeJoin = false;
  // A process that hangs up before the other dialled in: the other is hung up on as soon as it dials.
  for (const [name, end, other] of [
    ['MCU', mcuEnd, modemEnd],
    ['modem', modemEnd, mcuEnd],
  ] as const) {
    void end.connected.then((connected) =>
      connected.onClose(() => {
        if (wire || closing) return;
        goneBeforeJoin = true;
        wireLog.info(`the ${name} end hung up before the wire was joined; hanging up on the other`);
        void other.close();
      }),
    );
  }
  void Promise.all([mcuEnd.connected, modemEnd.connected]).then(([mcu, modem]) => {
    // A process that dials in as the run ends finds the end already hung up on.
    if (closing || goneBeforeJoin) return;
    wire = new Wire(mcu, modem, {
      ...options,
      onHangUp: (gone) => {
        wireLog.debug(`the ${gone === 'mcu' ? 'MCU' : 'modem'} end hung up; the wire hung up on the other`);
        options.onHangUp?.(gone);
      },
    });
    wireLog.debug('both ends connected; the wire is carrying bytes');
    options.onJoined?.();
    options.onRead?.();
  });
  return {
    mcuPort: mcuEnd.port,
    modemPort: modemEnd.port,
    get counters() {
      return { ...(wire?.counters ?? { tx: 0, rx: 0 }) };
    },
    get read() {
      return { ...(wire?.read ?? { tx: 0, rx: 0 }) };
    },
    get faultStats() {
      return wire?.faultStats ?? { tx: emptyUartFaultStats(), rx: emptyUartFaultStats() };
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
