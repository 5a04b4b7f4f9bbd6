// Network and modem events a scenario scripts (docs/reliability.md, "Network and modem events"): what
// the cellular network, the server or the modem itself does to a running device. The modem applies
// them (modem/events/apply-network-event.ts); the harness only carries them here.

export const NETWORK_EVENT_NAMES = [
  /** the network deactivates the PDP context: `+QIURC: "pdpdeact",<cid>`, its sockets are gone */
  'pdp-deactivate',
  /** the network detaches the modem: `+CEREG: 0`, every PDP context deactivated */
  'detach',
  /** the modem registers again: `+CEREG: 1`; PDP contexts stay down until the host activates them */
  'reattach',
  /** the server resets the connection (RST): the modem reports "closed" */
  'server-reset',
  /** the path goes dead: nothing arrives, sends are accepted and vanish, no URC */
  'server-silent-drop',
  /** the modem reboots: sockets, settings and SSL contexts gone, then `RDY` */
  'modem-reboot',
] as const;

export type NetworkEventName = (typeof NETWORK_EVENT_NAMES)[number];

export interface NetworkEventSpec {
  event: NetworkEventName;
  /** pdp-deactivate: the context (default 1) */
  contextId?: number;
  /** server-reset, server-silent-drop: one modem connect id (default: every connected socket) */
  connectId?: number;
}

/** What applying an event did: the sockets it touched, for the log and the app. */
export interface NetworkEventResult {
  event: NetworkEventName;
  /** the modem connect ids the event closed, reset or cut off */
  sockets: number[];
}

export function isNetworkEventName(value: unknown): value is NetworkEventName {
  return typeof value === 'string' && (NETWORK_EVENT_NAMES as readonly string[]).includes(value);
}

/** Checks an event that crossed a process boundary; a readable reason when it is not one. */
export function checkNetworkEvent(value: unknown): NetworkEventSpec {
  const spec = typeof value === 'string' ? { event: value } : value;
  if (typeof spec !== 'object' || spec === null) throw new Error('a network event is a name or { event }');
  const { event, contextId, connectId } = spec as Record<string, unknown>;
  if (!isNetworkEventName(event)) {
    throw new Error(
      `unknown network event ${JSON.stringify(event)}: one of ${NETWORK_EVENT_NAMES.join(', ')}`,
    );
  }
  const id = (name: string, v: unknown, max: number) => {
    if (v === undefined) return undefined;
    if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > max) {
      throw new Error(`${name} must be an integer 0–${max}`);
    }
    return v as number;
  };
  return { event, contextId: id('contextId', contextId, 16), connectId: id('connectId', connectId, 11) };
}
