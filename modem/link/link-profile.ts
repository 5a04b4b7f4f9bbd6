// The cellular link between the modem and the network, as figures the modem's host sockets are shaped
// with (modem/link/link-shaper.ts): one-way delay, jitter, bandwidth per direction, and datagram loss.
// `ideal` (the default) is loopback as it is. The named profiles' values and their sources are in
// docs/reliability.md ("Link profiles").

export interface LinkProfile {
  /** the name it was chosen by, or 'custom' */
  name: string;
  /** one-way propagation and scheduling delay, ms */
  delayMs: number;
  /** each packet's delay varies uniformly by up to ± this, ms */
  jitterMs: number;
  /** bits per second device → network (0: unlimited) */
  upBps: number;
  /** bits per second network → device (0: unlimited) */
  downBps: number;
  /** probability a datagram is lost, each way (TCP's retransmissions are not modelled: no TCP loss) */
  datagramLoss: number;
}

export const LINK_PROFILES = {
  ideal: { name: 'ideal', delayMs: 0, jitterMs: 0, upBps: 0, downBps: 0, datagramLoss: 0 },
  // LTE Cat-M1: about 100 ms round trip at the edge of normal coverage; the BG96's Cat-M1 rates.
  'lte-m': { name: 'lte-m', delayMs: 50, jitterMs: 15, upBps: 375_000, downBps: 375_000, datagramLoss: 0.01 },
  // NB-IoT Cat-NB1: round trips of 1.6 s and more; the BG96's Cat-NB1 rates (70 kbps up, 32 kbps down).
  'nb-iot': {
    name: 'nb-iot',
    delayMs: 800,
    jitterMs: 300,
    upBps: 70_000,
    downBps: 32_000,
    datagramLoss: 0.02,
  },
} as const satisfies Record<string, LinkProfile>;

export type LinkProfileName = keyof typeof LINK_PROFILES;

export const isLinkProfileName = (name: string): name is LinkProfileName => name in LINK_PROFILES;

/** What a scenario's `link` key or `--link` may say: a profile name, or figures (missing ones are ideal). */
export type LinkSpec = string | (Partial<LinkProfile> & { profile?: string });

const LIMITS: Record<Exclude<keyof LinkProfile, 'name'>, [number, number]> = {
  delayMs: [0, 60_000],
  jitterMs: [0, 60_000],
  upBps: [0, 1e10],
  downBps: [0, 1e10],
  datagramLoss: [0, 1],
};

const isFigure = (key: string): key is keyof typeof LIMITS => key in LIMITS;

/** The profile a spec names or describes; a clear Error naming the key for anything else. */
export function resolveLinkProfile(spec: LinkSpec | undefined): LinkProfile {
  if (spec === undefined) return { ...LINK_PROFILES.ideal };
  if (typeof spec === 'string') {
    if (!isLinkProfileName(spec))
      throw new Error(`link: unknown profile "${spec}" (known: ${Object.keys(LINK_PROFILES).join(', ')})`);
    return { ...LINK_PROFILES[spec] };
  }
  if (typeof spec !== 'object' || spec === null) throw new Error('link must be a profile name or an object');
  const { profile, name, ...figures } = spec;
  const base = profile === undefined ? LINK_PROFILES.ideal : resolveLinkProfile(profile);
  // A resolved profile passed on (the runner to the modem) keeps its name.
  const out: LinkProfile = { ...base, name: typeof name === 'string' ? name : 'custom' };
  for (const [key, value] of Object.entries(figures)) {
    if (!isFigure(key))
      throw new Error(`link.${key}: unknown key (known: profile, ${Object.keys(LIMITS).join(', ')})`);
    const [min, max] = LIMITS[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
      throw new Error(`link.${key} must be a number from ${min} to ${max}, got ${JSON.stringify(value)}`);
    out[key] = value;
  }
  return out;
}

export const isIdeal = (link: LinkProfile) =>
  link.delayMs === 0 &&
  link.jitterMs === 0 &&
  link.upBps === 0 &&
  link.downBps === 0 &&
  link.datagramLoss === 0;
