// The lab's MQTT broker: aedes (github.com/moscajs/aedes), fed each accepted connection with
// broker.handle(socket), plus a lab agent that plays the cloud side of a device, so a scenario (whose app
// runs in the MCU process and cannot reach the lab) still gets commands and can make the broker misbehave:
//
// * a device subscribing to `tlssim/<id>/cmd` gets a command on it at once (QoS 1), `{"seq":n,"cmd":…}`;
//   its answer on `tlssim/<id>/reply` is counted;
// * `lab/drop`: the broker closes that client's connection once the publish is handled (a drop from the
//   broker side, for reconnects);
// * `lab/drop-mid-publish`: the broker closes the connection when the client's next bytes arrive, i.e.
//   in the middle of its next (large) publish;
// * `lab/garbage`: the broker writes a malformed MQTT packet to that client.
import type { Socket } from 'node:net';
import { Aedes, type Client } from 'aedes';
import { errorText, type ServerActivity } from './server-activity.ts';

/** Control topics a client publishes to (payload ignored). */
export const MQTT_LAB_TOPICS = {
  drop: 'lab/drop',
  dropMidPublish: 'lab/drop-mid-publish',
  garbage: 'lab/garbage',
} as const;

const COMMAND_TOPIC = /^tlssim\/([^/]+)\/cmd$/;
const REPLY_TOPIC = /^tlssim\/([^/]+)\/reply$/;

/**
 * Packet type 0 is "Reserved, Forbidden" (the MQTT 3.1.1 standard, table "Control packet types"): no client parser accepts it.
 * A reserved type with a zero remaining length, so the parser fails on the first byte it reads.
 */
export const MALFORMED_MQTT_PACKET = Buffer.from([0x00, 0x00]);

export interface MqttBrokerStats {
  commandsSent: number;
  repliesReceived: number;
  /** connections the broker closed on a lab/ control topic */
  drops: number;
}

export interface MqttBroker {
  serve(socket: Socket, remote: string): void;
  stats: MqttBrokerStats;
  close(): Promise<void>;
}

export async function startMqttBroker(activity: ServerActivity): Promise<MqttBroker> {
  const broker = await Aedes.createBroker({ heartbeatInterval: 60_000 });
  const stats: MqttBrokerStats = { commandsSent: 0, repliesReceived: 0, drops: 0 };
  const seq = new Map<string, number>();

  broker.on('subscribe', (subscriptions, client) => {
    for (const { topic } of subscriptions) {
      if (!client || !COMMAND_TOPIC.test(topic)) continue;
      const n = (seq.get(client.id) ?? 0) + 1;
      seq.set(client.id, n);
      const payload = Buffer.from(JSON.stringify({ seq: n, cmd: 'report', from: 'lab' }));
      broker.publish(
        { cmd: 'publish', topic, payload, qos: 1, retain: false, dup: false },
        (error) => error && activity.record('error', { error: errorText(error) }),
      );
      stats.commandsSent++;
    }
  });

  broker.on('publish', (packet, client) => {
    if (!client) return;
    if (REPLY_TOPIC.test(packet.topic)) stats.repliesReceived++;
    else if (packet.topic === MQTT_LAB_TOPICS.drop) dropLater(client);
    else if (packet.topic === MQTT_LAB_TOPICS.dropMidPublish) dropOnNextBytes(client);
    else if (packet.topic === MQTT_LAB_TOPICS.garbage) (client.conn as Socket).write(MALFORMED_MQTT_PACKET);
  });

  // After the current publish is handled (its PUBACK out), so the drop is the next thing the client sees.
  const dropLater = (client: Client) =>
    setImmediate(() => {
      stats.drops++;
      (client.conn as Socket).destroy();
    });

  const dropOnNextBytes = (client: Client) => {
    const conn = client.conn as Socket;
    conn.prependOnceListener('data', () => {
      stats.drops++;
      conn.destroy();
    });
  };

  // A client that sends garbage or resets costs its own connection only: counted, never thrown.
  broker.on('clientError', (_client, error) => activity.record('error', { error: errorText(error) }));
  broker.on('connectionError', (_client, error) => activity.record('error', { error: errorText(error) }));

  return {
    serve: (socket, remote) => {
      socket.on('error', (error) => activity.record('error', { remote, error: errorText(error) }));
      broker.handle(socket);
    },
    stats,
    close: () => new Promise<void>((resolve) => broker.close(() => resolve())),
  };
}
