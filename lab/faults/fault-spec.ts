// What a datagram fault proxy does, as plain JSON a scenario or the runner can hold: Mbed TLS's udp_proxy
// options (drop/delay/duplicate 1 in N, mtu, delay_cli/delay_srv, delay_ccs, bad_ad, protect_hvr,
// protect_len, seed) plus a reorder window, in-place corruption of application records, truncation and
// garbage. Top-level faults apply both ways; `toServer` / `toClient` override them for one direction
// (udp_proxy's delay_cli is `toServer.delayHandshake`, delay_srv is `toClient.delayHandshake`).
import { HANDSHAKE_TYPE_NAMES, type HandshakeTypeName, isHandshakeTypeName } from './dtls-records.ts';

export interface DatagramFaultSet {
  /** Drop about 1 in N datagrams (0 or absent: never; 1: all). */
  drop?: number;
  /** Send about 1 in N datagrams twice (a replay). */
  duplicate?: number;
  /** Hold about 1 in N datagrams for `delayMs`. */
  delay?: number;
  /** How long a delayed datagram is held (default 50 ms). */
  delayMs?: number;
  /** Hold up to N datagrams and release them shuffled (0 or 1: off). */
  reorder?: number;
  /** A window not yet full is released (shuffled) this long after its first datagram (default 20 ms). */
  reorderMs?: number;
  /** Drop datagrams longer than this many bytes. */
  mtu?: number;
  /** Hold (for `delayMs`) the first datagram carrying each listed handshake message; repeat a name to delay more. */
  delayHandshake?: HandshakeTypeName[];
  /** Hold the first datagram carrying a ChangeCipherSpec. */
  delayCcs?: boolean;
  /** Flip one bit inside the first application record of about 1 in N datagrams carrying application data. */
  corruptAppData?: number;
  /** Before every datagram carrying application data, send a corrupted copy of it (udp_proxy bad_ad). */
  badAd?: boolean;
  /** Cut about 1 in N datagrams short at a random length. */
  truncate?: number;
  /** After about 1 in N datagrams, send a datagram of random bytes. */
  garbage?: number;
  /** Never drop, delay, corrupt or cut a HelloVerifyRequest. */
  protectHvr?: boolean;
  /** Never drop, delay, corrupt or cut a datagram of exactly this length. */
  protectLen?: number;
}

export interface DatagramFaultSpec extends DatagramFaultSet {
  /** Seeds every draw (default 1): the same seed and traffic give the same faults. */
  seed?: number;
  toServer?: DatagramFaultSet;
  toClient?: DatagramFaultSet;
}

export type Direction = 'to-server' | 'to-client';

/** One direction's faults with every default filled in. */
export type ResolvedFaults = Required<Omit<DatagramFaultSet, 'mtu' | 'protectLen'>> &
  Pick<DatagramFaultSet, 'mtu' | 'protectLen'>;

/** The largest "1 in N", reorder window, delay and size a spec may give. */
const MAX_ONE_IN_N = 1_000_000_000;
const MAX_REORDER_WINDOW = 1000;
const MAX_DELAY_MS = 60_000;
const MAX_DATAGRAM_BYTES = 65_535;

const COUNTS = ['drop', 'duplicate', 'delay', 'reorder', 'corruptAppData', 'truncate', 'garbage'] as const;
const DURATIONS = ['delayMs', 'reorderMs'] as const;
const SIZES = ['mtu', 'protectLen'] as const;
const FLAGS = ['delayCcs', 'badAd', 'protectHvr'] as const;
const SET_KEYS: readonly string[] = [...COUNTS, ...DURATIONS, ...SIZES, ...FLAGS, 'delayHandshake'];
const SPEC_KEYS: readonly string[] = [...SET_KEYS, 'seed', 'toServer', 'toClient'];

/** Checks a fault spec from JSON (or anywhere); throws an Error that names the bad field. */
export function parseFaultSpec(value: unknown): DatagramFaultSpec {
  const spec = checkedSet(value, 'faults', SPEC_KEYS) as DatagramFaultSpec;
  if (
    spec.seed !== undefined &&
    !(Number.isInteger(spec.seed) && spec.seed >= 0 && spec.seed <= 0xffffffff)
  ) {
    throw new Error(`faults.seed must be an integer 0..4294967295, got ${JSON.stringify(spec.seed)}`);
  }
  for (const side of ['toServer', 'toClient'] as const) {
    if (spec[side] !== undefined) spec[side] = checkedSet(spec[side], `faults.${side}`, SET_KEYS);
  }
  return spec;
}

function checkedSet(value: unknown, where: string, keys: readonly string[]): DatagramFaultSet {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${where} must be an object, got ${JSON.stringify(value)}`);
  }
  const set = value as Record<string, unknown>;
  for (const key of Object.keys(set)) {
    if (!keys.includes(key)) throw new Error(`${where}: unknown fault "${key}"; known: ${keys.join(', ')}`);
  }
  // Out-of-range values are refused when the scenario loads, naming the key (docs/reliability.md).
  const integer = (key: string, min: number, max: number) => {
    const v = set[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max)) {
      throw new Error(`${where}.${key} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
    }
  };
  for (const key of COUNTS) integer(key, 0, key === 'reorder' ? MAX_REORDER_WINDOW : MAX_ONE_IN_N);
  for (const key of DURATIONS) integer(key, 0, MAX_DELAY_MS);
  for (const key of SIZES) integer(key, 1, MAX_DATAGRAM_BYTES);
  for (const key of FLAGS) {
    if (set[key] !== undefined && typeof set[key] !== 'boolean') {
      throw new Error(`${where}.${key} must be true or false, got ${JSON.stringify(set[key])}`);
    }
  }
  const names = set.delayHandshake;
  if (names !== undefined) {
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || !isHandshakeTypeName(n))) {
      throw new Error(
        `${where}.delayHandshake must list handshake messages (${HANDSHAKE_TYPE_NAMES.join(', ')}), got ${JSON.stringify(names)}`,
      );
    }
  }
  return { ...set } as DatagramFaultSet;
}

/** The faults one direction applies: the top level, overridden by that direction's own set. */
export function resolveFaults(spec: DatagramFaultSpec, direction: Direction): ResolvedFaults {
  const { seed: _seed, toServer, toClient, ...common } = spec;
  const own = direction === 'to-server' ? toServer : toClient;
  const merged: DatagramFaultSet = { ...common, ...own };
  return {
    drop: merged.drop ?? 0,
    duplicate: merged.duplicate ?? 0,
    delay: merged.delay ?? 0,
    delayMs: merged.delayMs ?? 50,
    reorder: merged.reorder ?? 0,
    reorderMs: merged.reorderMs ?? 20,
    mtu: merged.mtu,
    delayHandshake: [...(merged.delayHandshake ?? [])],
    delayCcs: merged.delayCcs ?? false,
    corruptAppData: merged.corruptAppData ?? 0,
    badAd: merged.badAd ?? false,
    truncate: merged.truncate ?? 0,
    garbage: merged.garbage ?? 0,
    protectHvr: merged.protectHvr ?? false,
    protectLen: merged.protectLen,
  };
}
