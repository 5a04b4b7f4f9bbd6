// A lab DTLS 1.2 server on loopback: Mbed TLS in the server role over a Node dgram socket, one session per
// client address, HelloVerifyRequest cookies, echo (or discard) of every record, and optional mutual
// authentication. Only a ClientHello opens a session; anything else from an unknown address is counted
// and ignored, so stray, spoofed or garbage datagrams cost nothing.
import { createSocket, type RemoteInfo } from 'node:dgram';
import type { SslConfig } from '../../mcu/tls/mbedtls/index.ts';
import { type Clock, realClock } from '../../shared/clock.ts';
import { isClientHello } from '../faults/dtls-records.ts';
import { LAB_ADDRESS } from '../pki/lab-hostnames.ts';
import type { LabPki } from '../pki/lab-pki.ts';
import { labSocketLedger } from '../servers/lab-socket-ledger.ts';
import { type DtlsServerConfigOptions, dtlsServerConfig } from './dtls-server-config.ts';
import { DtlsServerSession, type DtlsService } from './dtls-server-session.ts';

export interface DtlsServerOptions extends DtlsServerConfigOptions {
  pki: LabPki;
  service?: DtlsService;
  /** 0 (default) picks a free port. */
  port?: number;
  clock?: Clock;
  /** Sessions kept at once (default 32); a ClientHello beyond that ends the least recently active one. */
  maxSessions?: number;
  /** A session without a datagram for this long is dropped (default 60 s). */
  idleTimeoutMs?: number;
  onEvent?: (event: DtlsServerEvent) => void;
}

export type DtlsServerEventType =
  | 'session'
  | 'hello-verify'
  | 'handshake'
  | 'handshake-failed'
  | 'record'
  | 'data-failed'
  | 'close'
  | 'ignored';

export interface DtlsServerEvent {
  type: DtlsServerEventType;
  /** host:port of the client */
  remote: string;
  bytes?: number;
  /** raw Mbed TLS code of a failure */
  code?: number;
  ciphersuite?: string | null;
}

export interface DtlsServerStats {
  datagramsIn: number;
  datagramsOut: number;
  bytesIn: number;
  bytesOut: number;
  /** Sessions opened by a ClientHello. */
  sessions: number;
  /** Sessions alive now. */
  active: number;
  helloVerifyRequests: number;
  handshakes: number;
  handshakeFailures: number;
  /** Application records received (each echoed unless the service discards). */
  records: number;
  closeNotifies: number;
  /** Datagrams from an address without a session that were not a ClientHello. */
  ignored: number;
}

export interface DtlsServer {
  port: number;
  address: string;
  stats: DtlsServerStats;
  close(): Promise<void>;
}

function emptyStats(): DtlsServerStats {
  return {
    datagramsIn: 0,
    datagramsOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    sessions: 0,
    active: 0,
    helloVerifyRequests: 0,
    handshakes: 0,
    handshakeFailures: 0,
    records: 0,
    closeNotifies: 0,
    ignored: 0,
  };
}

export async function startDtlsServer(options: DtlsServerOptions): Promise<DtlsServer> {
  const clock = options.clock ?? realClock;
  const maxSessions = options.maxSessions ?? 32;
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  const config: SslConfig = dtlsServerConfig(options.pki, options);
  const stats = emptyStats();
  const sessions = new Map<string, DtlsServerSession>();
  const socket = createSocket('udp4');
  const emit = (event: DtlsServerEvent) => options.onEvent?.(event);
  let closed = false;

  const openSession = (remote: string, sender: RemoteInfo): DtlsServerSession => {
    const session = new DtlsServerSession(config, Buffer.from(remote), options.service ?? 'echo', clock, {
      send: (datagram) => {
        if (closed) return;
        stats.datagramsOut++;
        stats.bytesOut += datagram.length;
        labSocketLedger.datagramSent(socket.address().port, sender.port, datagram.length);
        socket.send(datagram, sender.port, sender.address);
      },
      helloVerify: () => {
        stats.helloVerifyRequests++;
        emit({ type: 'hello-verify', remote });
      },
      handshake: (ciphersuite) => {
        stats.handshakes++;
        emit({ type: 'handshake', remote, ciphersuite });
      },
      failed: (stage, code) => {
        if (stage === 'handshake') stats.handshakeFailures++;
        emit({ type: stage === 'handshake' ? 'handshake-failed' : 'data-failed', remote, code });
      },
      record: (bytes) => {
        stats.records++;
        emit({ type: 'record', remote, bytes });
      },
      closed: (reason) => {
        if (reason === 'close_notify') stats.closeNotifies++;
        if (sessions.get(remote) === session) sessions.delete(remote);
        stats.active = sessions.size;
        emit({ type: 'close', remote });
      },
    });
    sessions.set(remote, session);
    stats.sessions++;
    stats.active = sessions.size;
    emit({ type: 'session', remote });
    return session;
  };

  socket.on('message', (datagram, sender) => {
    stats.datagramsIn++;
    stats.bytesIn += datagram.length;
    labSocketLedger.datagramReceived(socket.address().port, sender.port, datagram.length);
    const remote = `${sender.address}:${sender.port}`;
    let session = sessions.get(remote);
    if (!session) {
      if (!isClientHello(datagram)) {
        stats.ignored++;
        emit({ type: 'ignored', remote, bytes: datagram.length });
        return;
      }
      if (sessions.size >= maxSessions) leastRecentlyActive()?.close('server');
      session = openSession(remote, sender);
    }
    session.receive(new Uint8Array(datagram));
  });

  const leastRecentlyActive = () => {
    let oldest: DtlsServerSession | undefined;
    for (const session of sessions.values())
      if (!oldest || session.lastActivity < oldest.lastActivity) oldest = session;
    return oldest;
  };

  // Idle sessions go, so a client that vanished mid-handshake does not hold a slot forever.
  let sweep: unknown = null;
  const scheduleSweep = () => {
    sweep = clock.setTimeout(
      () => {
        const now = clock.now();
        for (const session of [...sessions.values()]) {
          if (now - session.lastActivity >= idleTimeoutMs) session.close('server');
        }
        if (!closed) scheduleSweep();
      },
      Math.max(10, Math.min(idleTimeoutMs, 5_000)),
    );
  };

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port ?? 0, LAB_ADDRESS, () => {
      socket.off('error', reject);
      // ICMP port-unreachable and the like: a datagram lost, never a crashed lab.
      socket.on('error', () => {});
      resolve();
    });
  }).catch((error: Error) => {
    config.free();
    throw new Error(`DTLS server failed to start on port ${options.port ?? 0}: ${error.message}`);
  });
  scheduleSweep();

  let closing: Promise<void> | undefined;
  return {
    port: socket.address().port,
    address: LAB_ADDRESS,
    stats,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        if (sweep !== null) clock.clearTimeout(sweep);
        for (const session of [...sessions.values()]) session.close('server');
        closed = true;
        socket.close(() => {
          config.free();
          resolve();
        });
      });
      return closing;
    },
  };
}
