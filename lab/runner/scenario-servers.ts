// Servers a single run owns: DTLS servers (Mbed TLS in server role) and, when the scenario declares
// faults, the seeded datagram fault proxy in front of them. Unlike the shared lab servers these are
// per run, so a run's faults and counters are its own.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../shared/clock.ts';
import { type DtlsServer, startDtlsServer } from '../dtls/dtls-server.ts';
import { type FaultProxy, startFaultProxy } from '../faults/datagram-fault-proxy.ts';
import type { ScenarioDefinition, ServerEndpoint } from '../scenario/scenario-types.ts';
import type { Lab } from '../servers/lab.ts';
import { isServerKind, type ServerKind } from '../servers/server-kinds.ts';

/** Per-run server kinds; the DTLS servers present the lab's echo certificate. */
export const DTLS_KINDS = {
  'dtls-echo': { requireClientCert: false },
  'dtls-mtls-echo': { requireClientCert: true },
} as const;
type DtlsKind = keyof typeof DTLS_KINDS;

const isDtlsKind = (kind: string): kind is DtlsKind => kind in DTLS_KINDS;

export interface ScenarioServers {
  endpoints: Record<string, ServerEndpoint>;
  /** writes what the servers and proxies counted into the run folder (faults.json) */
  report(dir: string): void;
  close(): Promise<void>;
}

/** The lab's servers a scenario uses (one lab serves every run); the DTLS kinds are per run. */
export function sharedKinds(scenario: ScenarioDefinition): ServerKind[] {
  return (scenario.servers ?? []).filter(isServerKind);
}

export async function startScenarioServers(
  scenario: ScenarioDefinition,
  lab: Lab,
  seed?: number,
  /** the run's clock (simulated or real) for the servers' and proxies' timers */
  clock?: Clock,
): Promise<ScenarioServers> {
  const servers: DtlsServer[] = [];
  const proxies: Array<{ kind: string; proxy: FaultProxy }> = [];
  const endpoints: Record<string, ServerEndpoint> = {};
  const close = async () => {
    await Promise.all([...proxies.map((p) => p.proxy.close()), ...servers.map((s) => s.close())]);
  };
  try {
    for (const kind of (scenario.servers ?? []).filter(isDtlsKind)) {
      const server = await startDtlsServer({
        pki: lab.pki,
        ...DTLS_KINDS[kind],
        ...scenario.dtlsServer,
        ...(clock ? { clock } : {}),
      });
      servers.push(server);
      let port = server.port;
      if (scenario.faults) {
        const faults = seed === undefined ? scenario.faults : { ...scenario.faults, seed };
        const proxy = await startFaultProxy({
          target: { port: server.port },
          faults,
          ...(clock ? { clock } : {}),
        });
        proxies.push({ kind, proxy });
        port = proxy.port;
      }
      endpoints[kind] = { host: lab.pki.servers.echo.hostname, port, address: server.address };
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    endpoints,
    report(dir) {
      if (servers.length === 0) return;
      const stats = {
        servers: Object.fromEntries(
          servers.map((s, i) => [(scenario.servers ?? []).filter(isDtlsKind)[i], s.stats]),
        ),
        proxies: Object.fromEntries(
          proxies.map(({ kind, proxy }) => [kind, { faults: proxy.faults(), stats: proxy.stats }]),
        ),
      };
      writeFileSync(join(dir, 'faults.json'), `${JSON.stringify(stats, null, 2)}\n`);
    },
    close,
  };
}
