// The MCU process's end of the network-event control channel: ctx.network.event sends a request to the
// runner over the IPC channel and settles when the modem's answer comes back.
import type { NetworkEventResult } from '../../modem/events/network-event.ts';
import type { NetworkEventSender } from '../scenario/app-network.ts';
import { isNetworkEventReply, type NetworkEventRequest } from './network-event-messages.ts';

export function ipcNetworkEventSender(): NetworkEventSender {
  let next = 0;
  const pending = new Map<number, { resolve: (r: NetworkEventResult) => void; reject: (e: Error) => void }>();
  const onMessage = (message: unknown) => {
    if (!isNetworkEventReply(message)) return;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (pending.size === 0) process.off('message', onMessage);
    if (message.result) waiter.resolve(message.result);
    else waiter.reject(new Error(`network event failed: ${message.error ?? 'no result'}`));
  };
  return (spec) => {
    const send = process.send?.bind(process);
    if (!send) {
      return Promise.reject(new Error('network events need the runner (tlssim run): no IPC channel'));
    }
    return new Promise((resolve, reject) => {
      const id = ++next;
      // Listening only while a request is out, so the channel does not keep the process alive.
      if (pending.size === 0) process.on('message', onMessage);
      pending.set(id, { resolve, reject });
      const request: NetworkEventRequest = { type: 'network-event', id, spec };
      send(request);
    });
  };
}
