// The lab: every server a scenario may talk to, on loopback, with the names and the PKI that go with them.
import { LAB_ADDRESS } from '../pki/lab-hostnames.ts';
import type { LabPki } from '../pki/lab-pki.ts';
import { defaultPkiDir, loadOrCreatePki } from '../pki/pki-store.ts';
import { isProtocolService, startProtocolService } from './protocol-service.ts';
import { type LabServerEventHook, ServerActivity, type ServerStats } from './server-activity.ts';
import { isServerKind, SERVER_KIND_SPECS, SERVER_KINDS, type ServerKind } from './server-kinds.ts';
import { type RunningServer, startStreamServer } from './stream-server.ts';
import { tlsServerOptions } from './tls-server-options.ts';
import { startUdpEchoServer } from './udp-echo-server.ts';

export interface LabOptions {
  /** Which servers to start; all of them by default. */
  kinds?: readonly ServerKind[];
  /** Fixed ports for some kinds (e.g. the Greentea ports 2007/2009/2013); others get a free port. */
  ports?: Partial<Record<ServerKind, number>>;
  /** An already loaded PKI; otherwise the cached one in `pkiDir` (created if needed). */
  pki?: LabPki;
  pkiDir?: string;
  /** Hears every server event (connections, bytes, errors). */
  onEvent?: LabServerEventHook;
}

export interface LabServerAddress {
  /** The lab name clients use (and TLS clients verify), e.g. echo.tlssim.test. */
  host: string;
  port: number;
  /** Where the name resolves: always 127.0.0.1. */
  address: string;
}

export interface Lab {
  /** The servers started, by kind. */
  servers: Partial<Record<ServerKind, LabServerAddress>>;
  /** One server's address; throws if that kind was not started. */
  server(kind: ServerKind): LabServerAddress;
  /** name → address: the hosts table the modem resolves lab names with. */
  hosts: Record<string, string>;
  pki: LabPki;
  /** Path of the lab root CA PEM. */
  caPath: string;
  /** Live counters of one server (throws if that kind was not started). */
  stats(kind: ServerKind): ServerStats;
  /** Closes every server and destroys every open connection; safe to call twice. */
  close(): Promise<void>;
}

export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const kinds = checkedKinds(options.kinds ?? SERVER_KINDS);
  const ports = checkedPorts(options.ports ?? {}, kinds);
  const pki = options.pki ?? (await loadOrCreatePki(options.pkiDir ?? defaultPkiDir()));
  const activities = new Map(kinds.map((kind) => [kind, new ServerActivity(kind, options.onEvent)]));

  const started = new Map<ServerKind, RunningServer>();
  const results = await Promise.allSettled(
    kinds.map(async (kind) => {
      const server = await startServer(kind, ports[kind] ?? 0, pki, activities.get(kind)!).catch((error) => {
        throw new Error(`lab server ${kind} failed to start on port ${ports[kind] ?? 0}: ${error.message}`);
      });
      started.set(kind, server);
    }),
  );
  const closeAll = () => Promise.all([...started.values()].map((server) => server.close())).then(() => {});
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) {
    await closeAll();
    throw failure.reason;
  }

  const servers: Partial<Record<ServerKind, LabServerAddress>> = {};
  for (const kind of kinds) {
    servers[kind] = {
      host: SERVER_KIND_SPECS[kind].hostname,
      port: started.get(kind)!.port,
      address: LAB_ADDRESS,
    };
  }
  let closing: Promise<void> | undefined;
  return {
    servers,
    server: (kind) => servers[kind] ?? notStarted(kind),
    hosts: labHosts(),
    pki,
    caPath: pki.caPath,
    stats: (kind) => activities.get(kind)?.stats ?? notStarted(kind),
    close: () => {
      closing ??= closeAll();
      return closing;
    },
  };
}

/**
 * Every lab name, whether or not its server runs: a scenario that names a server it did not start then
 * gets a refused connection, which says more than a failed lookup would.
 */
export function labHosts(): Record<string, string> {
  const hosts: Record<string, string> = {};
  for (const kind of SERVER_KINDS) hosts[SERVER_KIND_SPECS[kind].hostname] = LAB_ADDRESS;
  return hosts;
}

async function startServer(
  kind: ServerKind,
  port: number,
  pki: LabPki,
  activity: ServerActivity,
): Promise<RunningServer> {
  const spec = SERVER_KIND_SPECS[kind];
  if (spec.transport === 'udp') return startUdpEchoServer(activity, port);
  const tls = spec.transport === 'tls' ? tlsServerOptions(spec, pki) : undefined;
  if (!isProtocolService(spec.service))
    return startStreamServer({ service: spec.service, activity, port, tls });
  const protocol = await startProtocolService(spec.service, activity);
  const server = await startStreamServer({
    service: spec.service,
    activity,
    port,
    tls,
    serve: protocol.serve,
  }).catch(async (error) => {
    await protocol.close();
    throw error;
  });
  return {
    port: server.port,
    // The connections first (the broker's clients, the HTTP keep-alive sockets), then the service.
    close: () => server.close().then(() => protocol.close()),
  };
}

function checkedKinds(kinds: readonly string[]): ServerKind[] {
  const unknown = kinds.filter((kind) => !isServerKind(kind));
  if (unknown.length > 0) {
    throw new Error(`unknown lab server kind(s) ${unknown.join(', ')}; known: ${SERVER_KINDS.join(', ')}`);
  }
  return [...new Set(kinds as readonly ServerKind[])];
}

function checkedPorts(
  ports: Partial<Record<string, number>>,
  kinds: ServerKind[],
): Partial<Record<ServerKind, number>> {
  for (const [kind, port] of Object.entries(ports)) {
    if (!kinds.includes(kind as ServerKind))
      throw new Error(`port given for lab server ${kind}, which is not started`);
    if (!Number.isInteger(port) || port! < 0 || port! > 65535) {
      throw new Error(`port for lab server ${kind} must be an integer 0..65535, got ${port}`);
    }
  }
  return ports;
}

function notStarted(kind: string): never {
  throw new Error(`lab server ${kind} is not running (start it with startLab({ kinds: [...] }))`);
}
