// MQTT.js over toDuplex on the in-process device: the stream builder makes a fresh socket of the variant
// for every (re)connect, as MQTT.js's own builders make a net.Socket (new MqttClient(streamBuilder,
// options); mqtt's src/lib/connect/tcp.ts), and the stream destroys its socket when it closes.
import { type IClientOptions, MqttClient } from 'mqtt';
import type { Lab } from '../../../../lab/servers/lab.ts';
import type { ServerKind } from '../../../../lab/servers/server-kinds.ts';
import { type SocketDuplex, toDuplex } from '../../../../mcu/netsocket/socket-duplex/socket-duplex.ts';
import type { Device } from '../../tls/device-fixture.ts';
import { isTls, openSocket, type Variant } from './duplex-fixture.ts';

export interface DeviceMqtt {
  client: MqttClient;
  /** every stream the builder made, newest last */
  streams: SocketDuplex[];
  /** the client's errors (MQTT.js passes on the stream's) */
  errors: Error[];
  /** packet commands sent and received, in order */
  sent: string[];
  received: string[];
}

export interface DeviceMqttOptions extends IClientOptions {
  kind?: ServerKind;
  clientCert?: boolean;
}

export function connectMqtt(
  lab: Lab,
  device: Device,
  variant: Variant,
  options: DeviceMqttOptions = {},
): DeviceMqtt {
  const { kind = isTls(variant) ? 'mqtts' : 'mqtt', clientCert = false, ...clientOptions } = options;
  const streams: SocketDuplex[] = [];
  const client = new MqttClient(
    () => {
      const opened = openSocket(lab, device, variant, kind, clientCert);
      const stream = toDuplex(opened.socket, { connect: opened.connect, destroySocket: true });
      streams.push(stream);
      return stream;
    },
    { reconnectPeriod: 0, keepalive: 60, protocolVersion: 4, ...clientOptions },
  );
  const state: DeviceMqtt = { client, streams, errors: [], sent: [], received: [] };
  client.on('error', (error) => state.errors.push(error));
  client.on('packetsend', (packet) => state.sent.push(packet.cmd));
  client.on('packetreceive', (packet) => state.received.push(packet.cmd));
  return state;
}

/** Resolves on the client's next `event` (MQTT.js's events carry no error-rejection: errors are collected). */
export function next(
  client: MqttClient,
  event: 'connect' | 'close' | 'reconnect' | 'offline',
): Promise<void> {
  return new Promise((resolve) => client.once(event, () => resolve()));
}
