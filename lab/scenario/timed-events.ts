// Network and modem events a scenario schedules by time (`events: [{ atMs: 2000, event: 'pdp-deactivate' }]`)
// rather than from its app: each is sent when `atMs` has passed since the app started, whatever the app
// is doing then, as the network would. docs/reliability.md, "Network and modem events".
import { isNetworkEventName, type NetworkEventSpec } from '../../modem/events/network-event.ts';
import type { AppNetwork } from './app-network.ts';

export interface TimedNetworkEvent extends NetworkEventSpec {
  /** ms after the app started */
  atMs: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** Problems with a scenario's `events` key, each naming the entry and field. */
export function timedEventProblems(events: unknown): string[] {
  if (!Array.isArray(events)) return ['events must be a list of { atMs, event }'];
  return events.flatMap((entry, index) => {
    const at = `events[${index}]`;
    if (!isRecord(entry)) return [`${at} must be { atMs, event }`];
    const problems: string[] = [];
    const { atMs, event } = entry;
    if (typeof atMs !== 'number' || !Number.isFinite(atMs) || atMs < 0 || atMs > 3_600_000)
      problems.push(`${at}.atMs must be a number of ms from 0 to 3600000, got ${JSON.stringify(atMs)}`);
    if (!isNetworkEventName(event)) problems.push(`${at}.event: unknown event ${JSON.stringify(event)}`);
    return problems;
  });
}

/**
 * Schedules the events on the app's network; returns a stop function that cancels those not yet sent.
 * A failed event is reported through `onError` (logged), never thrown into the app.
 */
export function scheduleTimedEvents(
  events: readonly TimedNetworkEvent[],
  network: AppNetwork,
  onSent: (event: TimedNetworkEvent) => void,
  onError: (event: TimedNetworkEvent, error: unknown) => void,
): () => void {
  const timers = events.map((entry) =>
    setTimeout(() => {
      const { atMs: _at, ...spec } = entry;
      onSent(entry);
      network.event(spec).catch((error: unknown) => onError(entry, error));
    }, entry.atMs),
  );
  return () => {
    for (const timer of timers) clearTimeout(timer);
  };
}
