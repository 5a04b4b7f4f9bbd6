// Services that speak an application protocol over the lab's stream servers (plain TCP or TLS): what a
// library over toDuplex talks to. Each has per-server state (a broker, an HTTP server) to close with it.
import type { ServerActivity } from './server-activity.ts';
import type { ServiceName } from './server-kinds.ts';
import type { ConnectionHandler } from './stream-server.ts';

export type ProtocolServiceName = Extract<ServiceName, 'mqtt' | 'http'>;

export interface ProtocolService {
  serve: ConnectionHandler;
  close(): Promise<void>;
}

export function isProtocolService(service: ServiceName): service is ProtocolServiceName {
  return service === 'mqtt' || service === 'http';
}

/** Loaded on demand: a lab that runs no MQTT scenario never loads aedes. */
export async function startProtocolService(
  service: ProtocolServiceName,
  activity: ServerActivity,
): Promise<ProtocolService> {
  if (service === 'mqtt') {
    const { startMqttBroker } = await import('./mqtt-broker.ts');
    return startMqttBroker(activity);
  }
  const { startHttpApi } = await import('./http-api.ts');
  return startHttpApi(activity);
}
