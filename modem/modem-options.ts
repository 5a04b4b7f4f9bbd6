import { backgroundClock, type Clock } from '../shared/clock.ts';
import { type Logger, log } from '../shared/log.ts';
import { LINK_PROFILES, type LinkProfile } from './link/link-profile.ts';

/** How the modem reports a peer's close while received data is still buffered. */
export type ClosedUrcPolicy =
  /** As soon as the peer closes (BG96 firmware): a driver that stops reading on "closed" loses data. */
  | 'immediate'
  /** Only once the buffer has been read empty (u-blox semantics; tlssim's default). */
  | 'afterDrain';

export interface ModemIdentity {
  readonly manufacturer: string;
  readonly model: string;
  readonly revision: string;
  readonly imei: string;
}

export interface ModemOptions {
  /** Lab hosts table: name → IP literal (e.g. echo.tlssim.test → 127.0.0.1). Names are case-insensitive. */
  hosts?: Record<string, string>;
  /** Default false; only then may names outside the table go to dns.lookup. */
  allowSystemResolver?: boolean;
  /** Where the modem's log lines go (channels `modem` and `at`); default the process logger. */
  log?: Logger;
  /** Idle timeout of a QISEND/QSSLSEND data phase (no byte for this long ends it with an error). Default 10 s. */
  sendDataTimeoutMs?: number;
  /** Overrides AT+QFUPL's <timeout> parameter (seconds, default 5) — for fast tests. */
  uploadTimeoutMs?: number;
  /** Bound on a TCP connect before `+QIOPEN: <id>,569`. Default 30 s. */
  connectTimeoutMs?: number;
  /** Overrides AT+QSSLCFG="negotiatetime" (seconds, default 300) as the bound on a QSSLOPEN — for fast tests. */
  negotiateTimeoutMs?: number;
  /**
   * The "ignorelocaltime" a fresh SSL context starts with. Default 0 (check validity dates: the host has
   * a real clock); 1 is Quectel's default for a module that may not know the time.
   */
  sslIgnoreLocalTime?: 0 | 1;
  /** Default 'afterDrain'. */
  closedUrc?: ClosedUrcPolicy;
  /**
   * Default false: a QIOPEN/QSSLOPEN to a non-loopback address fails with 551 (operation blocked), so a
   * mistaken scenario can never send traffic off the machine.
   */
  allowNonLoopback?: boolean;
  /** Default false: host sockets take an OS-chosen local port; the requested one is only reported. */
  bindLocalPorts?: boolean;
  /** Default 2048 bytes; a longer command line gets ERROR. */
  maxLineLength?: number;
  /** UFS capacity in bytes. Default 1 MiB. */
  ufsCapacity?: number;
  /** The address AT+QIACT? reports for an active context. Default 127.0.0.1 (where host sockets originate). */
  pdpAddress?: string;
  identity?: Partial<ModemIdentity>;
  clock?: Clock;
  /** The cellular link between the modem and the network (default: ideal, loopback as it is). */
  link?: LinkProfile;
  /** Seeds the link's jitter and loss draws, so a run replays (default 1). */
  linkSeed?: number;
}

export interface ResolvedModemOptions {
  readonly hosts: ReadonlyMap<string, string>;
  readonly allowSystemResolver: boolean;
  readonly log: Logger;
  readonly sendDataTimeoutMs: number;
  readonly uploadTimeoutMs: number | undefined;
  readonly connectTimeoutMs: number;
  readonly negotiateTimeoutMs: number | undefined;
  readonly sslIgnoreLocalTime: 0 | 1;
  readonly closedUrc: ClosedUrcPolicy;
  readonly allowNonLoopback: boolean;
  readonly bindLocalPorts: boolean;
  readonly maxLineLength: number;
  readonly ufsCapacity: number;
  readonly pdpAddress: string;
  readonly identity: ModemIdentity;
  readonly clock: Clock;
  readonly link: LinkProfile;
  readonly linkSeed: number;
}

export const DEFAULT_IDENTITY: ModemIdentity = {
  manufacturer: 'Quectel',
  model: 'BG96',
  revision: 'BG96MAR02A07M1G',
  imei: '866425030000001',
};

export function resolveModemOptions(options: ModemOptions = {}): ResolvedModemOptions {
  return {
    hosts: new Map(Object.entries(options.hosts ?? {}).map(([name, ip]) => [name.toLowerCase(), ip])),
    allowSystemResolver: options.allowSystemResolver ?? false,
    log: options.log ?? log.child('modem', 'BG96'),
    sendDataTimeoutMs: options.sendDataTimeoutMs ?? 10_000,
    uploadTimeoutMs: options.uploadTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs ?? 30_000,
    negotiateTimeoutMs: options.negotiateTimeoutMs,
    sslIgnoreLocalTime: options.sslIgnoreLocalTime ?? 0,
    closedUrc: options.closedUrc ?? 'afterDrain',
    allowNonLoopback: options.allowNonLoopback ?? false,
    bindLocalPorts: options.bindLocalPorts ?? false,
    maxLineLength: options.maxLineLength ?? 2048,
    ufsCapacity: options.ufsCapacity ?? 1024 * 1024,
    pdpAddress: options.pdpAddress ?? '127.0.0.1',
    identity: { ...DEFAULT_IDENTITY, ...options.identity },
    clock: options.clock ?? backgroundClock,
    link: options.link ?? { ...LINK_PROFILES.ideal },
    linkSeed: options.linkSeed ?? 1,
  };
}
