// The control channel for scripted network events (docs/reliability.md, "Network and modem events"):
// the MCU process asks, the runner relays to the modem process, the modem applies the event and answers,
// the runner relays the answer back. Every message is checked before it is believed.
import {
  checkNetworkEvent,
  isNetworkEventName,
  type NetworkEventResult,
  type NetworkEventSpec,
} from '../../modem/events/network-event.ts';

/** MCU → runner → modem: apply this event now. */
export interface NetworkEventRequest {
  type: 'network-event';
  /** matches the answer to the request (one MCU may have several in flight) */
  id: number;
  spec: NetworkEventSpec;
}

/** modem → runner → MCU: the event happened (result), or could not be applied (error). */
export interface NetworkEventReply {
  type: 'network-event-done';
  id: number;
  result?: NetworkEventResult;
  error?: string;
}

export function isNetworkEventRequest(message: unknown): message is NetworkEventRequest {
  if (!isRecord(message) || message.type !== 'network-event' || !Number.isInteger(message.id)) return false;
  try {
    checkNetworkEvent(message.spec);
    return true;
  } catch {
    return false;
  }
}

export function isNetworkEventReply(message: unknown): message is NetworkEventReply {
  if (!isRecord(message) || message.type !== 'network-event-done' || !Number.isInteger(message.id)) {
    return false;
  }
  const { result, error } = message;
  if (error !== undefined && typeof error !== 'string') return false;
  return (
    result === undefined ||
    (isRecord(result) &&
      isNetworkEventName(result.event) &&
      Array.isArray(result.sockets) &&
      result.sockets.every((id) => Number.isInteger(id)))
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
