// What the wire does to the UART's bytes, as plain JSON a scenario, `tlssim run --uart-faults` or a test
// can hold: per direction (tx = MCU → modem, rx = modem → MCU) a bit error rate, lost bytes, inserted
// noise bytes, stalls and breaks, every draw seeded. Unlike the datagram faults (fault-spec.ts, "1 in N
// datagrams"), UART faults are rates: a probability per bit or per byte, as a line's error rate is quoted.
//
// What each looks like on the byte stream the receiver reads:
// * bit error: one data bit of a byte inverted (start, stop and parity bits are not modelled, so a bit
//   error never shows as a framing error); a byte hit twice counts once as corrupted.
// * drop: the byte never arrives (as when an overrun loses it).
// * noise: a random byte arrives before the byte it was drawn on (a glitch read as a start bit).
// * stall: the line carries nothing for stallMs before the byte; bytes queue behind it, none is lost.
// * break: the line is held at space (0) for breakMs. The receiver reads one 0x00 (a break with
//   termios' IGNBRK, BRKINT and PARMRK clear reads as a single NUL, termios(3)), and the bytes the sender
//   clocked out while the line was held (breakMs at the line rate, from the byte it began on) are lost.

export interface UartFaultSet {
  /** Probability that any one data bit is inverted (0..0.5): 1e-3 flips about 1 bit in 1000. */
  bitErrorRate?: number;
  /** Probability that a byte is lost (0..1). */
  drop?: number;
  /** Probability that a random byte is inserted before a byte (0..1). */
  noise?: number;
  /** Probability that the line stalls before a byte (0..1), for stallMs. */
  stall?: number;
  /** How long a stall holds the line (1..60000 ms, default 200). */
  stallMs?: number;
  /** Probability that a break begins at a byte (0..1), for breakMs. */
  break?: number;
  /** How long a break holds the line at space (1..10000 ms, default 20). */
  breakMs?: number;
}

export interface UartFaultSpec {
  /** Seeds every draw (default 1): the same seed and the same bytes give the same faults. */
  seed?: number;
  /** MCU → modem */
  tx?: UartFaultSet;
  /** modem → MCU */
  rx?: UartFaultSet;
}

export type ResolvedUartFaults = Required<UartFaultSet>;

const RATE_LIMITS: Record<'bitErrorRate' | 'drop' | 'noise' | 'stall' | 'break', number> = {
  bitErrorRate: 0.5,
  drop: 1,
  noise: 1,
  stall: 1,
  break: 1,
};
const DURATION_LIMITS: Record<'stallMs' | 'breakMs', number> = { stallMs: 60_000, breakMs: 10_000 };
const SET_KEYS = [...Object.keys(RATE_LIMITS), ...Object.keys(DURATION_LIMITS)];
const SPEC_KEYS = ['seed', 'tx', 'rx'];

/** Checks a UART fault spec from JSON (or anywhere); throws an Error naming the bad key. */
export function parseUartFaultSpec(value: unknown, where = 'uartFaults'): UartFaultSpec {
  const spec = checkedObject(value, where, SPEC_KEYS);
  const seed = spec.seed;
  if (
    seed !== undefined &&
    !(Number.isInteger(seed) && (seed as number) >= 0 && (seed as number) <= 0xffffffff)
  ) {
    throw new Error(`${where}.seed must be an integer 0..4294967295, got ${JSON.stringify(seed)}`);
  }
  const out: UartFaultSpec = seed === undefined ? {} : { seed: seed as number };
  for (const dir of ['tx', 'rx'] as const) {
    if (spec[dir] !== undefined) out[dir] = checkedSet(spec[dir], `${where}.${dir}`);
  }
  return out;
}

function checkedObject(value: unknown, where: string, keys: readonly string[]): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${where} must be an object, got ${JSON.stringify(value)}`);
  }
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (!keys.includes(key)) throw new Error(`${where}: unknown key "${key}"; known: ${keys.join(', ')}`);
  }
  return object;
}

function checkedSet(value: unknown, where: string): UartFaultSet {
  const set = checkedObject(value, where, SET_KEYS);
  for (const [key, max] of Object.entries(RATE_LIMITS)) {
    const v = set[key];
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && v <= max)) {
      // A datagram-style "1 in N" count here would silently mean "always": say what the unit is.
      throw new Error(`${where}.${key} is a probability 0..${max}, got ${JSON.stringify(v)}`);
    }
  }
  for (const [key, max] of Object.entries(DURATION_LIMITS)) {
    const v = set[key];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 1 && (v as number) <= max)) {
      throw new Error(`${where}.${key} must be an integer 1..${max} (ms), got ${JSON.stringify(v)}`);
    }
  }
  return { ...set } as UartFaultSet;
}

/** One direction's faults with every default filled in (no set: no faults). */
export function resolveUartFaults(set: UartFaultSet | undefined): ResolvedUartFaults {
  return {
    bitErrorRate: set?.bitErrorRate ?? 0,
    drop: set?.drop ?? 0,
    noise: set?.noise ?? 0,
    stall: set?.stall ?? 0,
    stallMs: set?.stallMs ?? 200,
    break: set?.break ?? 0,
    breakMs: set?.breakMs ?? 20,
  };
}

/** The spec with --seed in force, when one was given. */
export function withUartSeed(spec: UartFaultSpec, seed: number | undefined): UartFaultSpec {
  return seed === undefined ? spec : { ...spec, seed };
}
