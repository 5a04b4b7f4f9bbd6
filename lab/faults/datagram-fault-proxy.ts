// The lab's datagram fault proxy (in the spirit of Mbed TLS's udp_proxy): its own UDP socket on 127.0.0.1
// between a client (the modem's UDP socket) and a server, applying a seeded fault spec to each direction.
// The first datagram's sender becomes the client; datagrams from any other address are ignored and
// counted. Start it from a plain JSON spec: startFaultProxy({ target, faults: JSON.parse(text) }).
import { createSocket, type Socket } from 'node:dgram';
import { type Clock, realClock } from '../../shared/clock.ts';
import { SeededRandom } from '../../shared/seeded-random.ts';
import { LAB_ADDRESS } from '../pki/lab-hostnames.ts';
import { labSocketLedger } from '../servers/lab-socket-ledger.ts';
import { type DirectionStats, type FaultEvent, FaultPath } from './fault-path.ts';
import { type DatagramFaultSpec, type Direction, parseFaultSpec, resolveFaults } from './fault-spec.ts';

export interface FaultProxyOptions {
  /** The server the proxy forwards to: loopback only. */
  target: { host?: string; port: number };
  /** A fault spec (checked; JSON is fine). Default: no faults. */
  faults?: unknown;
  /** The proxy's own port (0, the default, picks a free one). */
  port?: number;
  clock?: Clock;
  onEvent?: (event: FaultEvent) => void;
}

export interface FaultProxyStats {
  toServer: DirectionStats;
  toClient: DirectionStats;
  /** Datagrams from an address that is neither the locked client nor the server. */
  ignored: number;
}

export interface FaultProxy {
  /** Where clients send: 127.0.0.1 and this port. */
  port: number;
  address: string;
  stats: FaultProxyStats;
  /** The spec in force (checked). */
  faults(): DatagramFaultSpec;
  /** The client the proxy locked onto (the first sender), or null before any datagram. */
  client(): { address: string; port: number } | null;
  /** Replaces the faults from now on; both directions' streams restart from the spec's seed. */
  setFaults(spec: unknown): void;
  /** Sends raw bytes on, past every fault: 'to-client' as if from the server, 'to-server' as if from the client. */
  inject(direction: Direction, datagram: Uint8Array): void;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost'];

function bound(socket: Socket, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, LAB_ADDRESS, () => {
      socket.off('error', reject);
      // ICMP unreachable from a peer that went away: that datagram is lost, nothing more.
      socket.on('error', () => {});
      resolve();
    });
  });
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const host = options.target.host ?? LAB_ADDRESS;
  if (!LOOPBACK_HOSTS.includes(host)) throw new Error(`fault proxy target must be loopback, got ${host}`);
  const targetPort = options.target.port;
  if (!Number.isInteger(targetPort) || targetPort < 1 || targetPort > 65535) {
    throw new Error(`fault proxy target port must be 1..65535, got ${targetPort}`);
  }
  const clock = options.clock ?? realClock;
  let spec = parseFaultSpec(options.faults ?? {});
  const stream = (direction: Direction) => SeededRandom.derive(spec.seed ?? 1, direction);

  const listener = createSocket('udp4');
  const upstream = createSocket('udp4');
  const stats: FaultProxyStats = { toServer: undefined!, toClient: undefined!, ignored: 0 };
  let client: { address: string; port: number } | null = null;
  let closed = false;

  const toServer = new FaultPath(
    'to-server',
    resolveFaults(spec, 'to-server'),
    stream('to-server'),
    clock,
    (datagram) => {
      if (!closed) upstream.send(datagram, targetPort, LAB_ADDRESS);
    },
    options.onEvent,
  );
  const toClient = new FaultPath(
    'to-client',
    resolveFaults(spec, 'to-client'),
    stream('to-client'),
    clock,
    (datagram) => {
      if (closed || !client) return;
      labSocketLedger.datagramSent(listener.address().port, client.port, datagram.length);
      listener.send(datagram, client.port, client.address);
    },
    options.onEvent,
  );
  stats.toServer = toServer.stats;
  stats.toClient = toClient.stats;

  const ignore = (direction: Direction, bytes: number) => {
    stats.ignored++;
    options.onEvent?.({ direction, action: 'ignored', bytes, what: 'unexpected source' });
  };

  listener.on('message', (datagram, sender) => {
    labSocketLedger.datagramReceived(listener.address().port, sender.port, datagram.length);
    client ??= { address: sender.address, port: sender.port };
    if (sender.address === client.address && sender.port === client.port) toServer.push(datagram);
    else ignore('to-server', datagram.length);
  });
  upstream.on('message', (datagram, sender) => {
    // The upstream socket is only ever sent to the target, but anyone may send to it.
    if (sender.port === targetPort && sender.address === LAB_ADDRESS) toClient.push(datagram);
    else ignore('to-client', datagram.length);
  });

  try {
    await bound(listener, options.port ?? 0);
    await bound(upstream, 0);
  } catch (error) {
    listener.close();
    upstream.close();
    throw new Error(`fault proxy failed to start on port ${options.port ?? 0}: ${(error as Error).message}`);
  }

  let closing: Promise<void> | undefined;
  return {
    port: listener.address().port,
    address: LAB_ADDRESS,
    stats,
    faults: () => spec,
    client: () => (client ? { ...client } : null),
    setFaults(next) {
      spec = parseFaultSpec(next);
      toServer.reset(resolveFaults(spec, 'to-server'), stream('to-server'));
      toClient.reset(resolveFaults(spec, 'to-client'), stream('to-client'));
    },
    inject(direction, datagram) {
      (direction === 'to-server' ? toServer : toClient).inject(Buffer.from(datagram));
    },
    close() {
      closing ??= (async () => {
        closed = true;
        toServer.close();
        toClient.close();
        await Promise.all([
          new Promise<void>((resolve) => listener.close(() => resolve())),
          new Promise<void>((resolve) => upstream.close(() => resolve())),
        ]);
      })();
      return closing;
    },
  };
}
