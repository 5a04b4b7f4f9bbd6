// What a scenario file declares (README.md, "Writing a scenario"). The app runs in the MCU process; the rest is
// read by the runner in the lab process.
import type { CellularInterface } from '../../mcu/cellular/cellular-interface.ts';
import type { LinkSpec } from '../../modem/link/link-profile.ts';
import type { DtlsServerConfigOptions } from '../dtls/dtls-server-config.ts';
import type { DatagramFaultSpec } from '../faults/fault-spec.ts';
import type { UartFaultSpec } from '../faults/uart-fault-spec.ts';
import type { AppNetwork } from './app-network.ts';
import type { TimedNetworkEvent } from './timed-events.ts';

export type Mode = 'mbedtls' | 'offload';
export const MODES: readonly Mode[] = ['mbedtls', 'offload'];

export function isMode(value: string): value is Mode {
  return value === 'mbedtls' || value === 'offload';
}

export interface ServerEndpoint {
  /** the lab name, which the modem resolves (and TLS verifies), e.g. echo.tlssim.test */
  host: string;
  port: number;
  /** the literal address the name resolves to */
  address: string;
}

export interface ScenarioPki {
  caPem: string;
  intermediatePem: string;
  clientCertPem: string;
  clientKeyPem: string;
}

export interface AppContext {
  /** the connected CellularInterface; sockets open on it */
  net: CellularInterface;
  server(kind: string): ServerEndpoint;
  pki: ScenarioPki;
  mode: Mode;
  log(...parts: unknown[]): void;
  /** Names the step a failure belongs to in the runner's report. */
  step(name: string): void;
  /** Records a measurement (e.g. handshakeMs) that the runner reports with the result. */
  metric(name: string, value: number): void;
  env: NodeJS.ProcessEnv;
  /**
   * Scripted network and modem events (docs/reliability.md, "Network and modem events"):
   * `await network.event('pdp-deactivate')` settles once the modem has applied it.
   */
  network: AppNetwork;
  /**
   * Restarts the MCU: the device code starts over (the current `net`, its stack and sockets are
   * discarded) while the modem keeps running with whatever sockets it has open. Resolves with a new,
   * connected CellularInterface on the same UART, which `net` then also is.
   */
  restartDevice(): Promise<CellularInterface>;
}

export interface UartExpectations {
  /** byte strings that must (present) or must not (absent) appear in the trace, per mode */
  plaintext?: { present?: string[]; absent?: string[] };
  /** same, but only checked in the named mode */
  mbedtls?: { present?: string[]; absent?: string[] };
  offload?: { present?: string[]; absent?: string[] };
}

export interface ScenarioDefinition {
  name: string;
  description?: string;
  /** default: both */
  modes?: readonly Mode[];
  /** lab server kinds the runner starts for it */
  servers?: readonly string[];
  /** whole-run bound in ms (default 60 s) */
  timeoutMs?: number;
  /**
   * Datagram faults between the modem and the scenario's DTLS servers (seeded; --seed overrides the
   * seed), in the spirit of Mbed TLS's udp_proxy: drop, duplicate, delay, reorder, mtu, corrupt…
   */
  faults?: DatagramFaultSpec;
  /**
   * Faults the wire injects on the UART, per direction (tx = MCU → modem, rx = modem → MCU): bit error
   * rate, lost and inserted bytes, stalls, breaks (lab/faults/uart-fault-spec.ts); seeded, --seed
   * overrides the seed, `tlssim run --uart-faults` the whole spec.
   */
  uartFaults?: UartFaultSpec;
  /**
   * The cellular link between the modem and the network: a profile name (`ideal`, `lte-m`, `nb-iot`) or
   * figures (docs/reliability.md, "Link profiles"); seeded by --seed. `tlssim run --link` overrides it.
   */
  link?: LinkSpec;
  /**
   * Network and modem events sent at a time rather than from the app: `[{ atMs: 2000, event:
   * 'pdp-deactivate' }]`, ms after the app started (docs/reliability.md, "Network and modem events").
   */
  events?: readonly TimedNetworkEvent[];
  /** Options for this run's DTLS servers, e.g. short handshake timeouts. */
  dtlsServer?: Pick<
    DtlsServerConfigOptions,
    'handshakeTimeout' | 'maxFragmentLength' | 'cookies' | 'antiReplay'
  >;
  app(context: AppContext): Promise<void>;
  uart?: UartExpectations | ((mode: Mode, context: { pki: ScenarioPki }) => UartExpectations);
}

export function defineScenario(definition: ScenarioDefinition): ScenarioDefinition {
  return definition;
}
