// What an app uses to script network and modem events (ctx.network.event): the event goes to the modem
// (over the runner's control channel, or straight to an in-process modem in tests) and the promise
// settles once the modem has applied it. URCs it raised may still be crossing the UART then.
import {
  checkNetworkEvent,
  type NetworkEventName,
  type NetworkEventResult,
  type NetworkEventSpec,
} from '../../modem/events/network-event.ts';

export type { NetworkEventName, NetworkEventResult, NetworkEventSpec };

/** How an event reaches the modem. */
export type NetworkEventSender = (spec: NetworkEventSpec) => Promise<NetworkEventResult>;

export interface AppNetwork {
  /** e.g. `await network.event('pdp-deactivate')` or `network.event({ event: 'server-reset', connectId: 0 })` */
  event(event: NetworkEventName | NetworkEventSpec): Promise<NetworkEventResult>;
}

export function appNetwork(send: NetworkEventSender): AppNetwork {
  return {
    event: (event) => send(checkNetworkEvent(event)),
  };
}

/** For tests with the modem in the same process (test/mcu/tls/device-fixture.ts). */
export function inProcessNetwork(modem: {
  applyNetworkEvent(spec: NetworkEventSpec): NetworkEventResult;
}): AppNetwork {
  return appNetwork((spec) => Promise.resolve(modem.applyNetworkEvent(spec)));
}
