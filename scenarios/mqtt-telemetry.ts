// A sensor on MQTT: MQTT.js, unchanged, over a TLSSocket through toDuplex (the TLSSocket design's first
// goal: an existing library becomes secure without code changes), in both modes. The device publishes JSON
// readings at QoS 0, 1 and 2, keeps a retained status, answers the command the lab's broker sends when it
// subscribes, stays connected across an idle spell longer than its keepalive (PINGREQ/PINGRESP), and
// reconnects after the broker drops it. The broker is the lab's aedes (lab/servers/mqtt-broker.ts).
import { type IPublishPacket, MqttClient } from 'mqtt';
import { defineScenario, expectTrue, type SocketDuplex } from 'tlssim';
import { secureStream } from './_support/secure-stream.ts';

/** Short, so the idle spell that must cross a keepalive stays short too (the MQTT 3.1.1 standard, CONNECT "Keep Alive"). */
const KEEPALIVE_S = 2;

export default defineScenario({
  name: 'mqtt-telemetry',
  description:
    'MQTT.js over TLSSocket via toDuplex: telemetry at QoS 0/1/2, retained status, a command, keepalive, reconnect',
  servers: ['mqtts'],
  timeoutMs: 40_000,
  async app({ net, server, pki, mode, step, metric }) {
    const broker = server('mqtts');
    // Both modes run at once against one lab broker: each its own client id and topics.
    const id = `sensor-${mode}`;
    const topic = (leaf: string) => `tlssim/${id}/${leaf}`;
    const streams: SocketDuplex[] = [];

    step('connect MQTT.js over a TLSSocket');
    // MQTT.js calls the builder on every (re)connect; the stream owns its socket and destroys it at close.
    const client = new MqttClient(
      () => {
        const stream = secureStream(net, broker, pki.caPem);
        streams.push(stream);
        return stream;
      },
      { clientId: id, keepalive: KEEPALIVE_S, reconnectPeriod: 300, clean: false, protocolVersion: 4 },
    );
    const errors: Error[] = [];
    const sent: string[] = [];
    const received: string[] = [];
    client.on('error', (error) => errors.push(error));
    client.on('packetsend', (packet) => sent.push(packet.cmd));
    client.on('packetreceive', (packet) => received.push(packet.cmd));
    const nextMessage = (wanted: string) =>
      new Promise<{ payload: Buffer; packet: IPublishPacket }>((resolve) => {
        const listener = (t: string, payload: Buffer, packet: IPublishPacket) => {
          if (t !== wanted) return;
          client.off('message', listener);
          resolve({ payload, packet });
        };
        client.on('message', listener);
      });
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));

    step('answer the command the broker sends on subscribe');
    const command = nextMessage(topic('cmd'));
    await client.subscribeAsync([topic('cmd'), topic('telemetry/+')], { qos: 2 });
    const cmd = JSON.parse((await command).payload.toString()) as { seq: number; cmd: string };
    expectTrue(`the lab's command is "report" (got ${JSON.stringify(cmd)})`, cmd.cmd === 'report');
    await client.publishAsync(topic('reply'), JSON.stringify({ seq: cmd.seq, ok: true, temperature: 21.5 }), {
      qos: 1,
    });

    for (const qos of [0, 1, 2] as const) {
      step(`publish a reading at QoS ${qos}`);
      const reading = JSON.stringify({ temperature: 20 + qos, humidity: 40 + qos, seq: qos });
      const back = nextMessage(topic(`telemetry/${qos}`));
      const before = streams[0].bytesWritten;
      await client.publishAsync(topic(`telemetry/${qos}`), reading, { qos });
      const { payload } = await back;
      expectTrue(`the QoS ${qos} reading comes back intact`, payload.toString() === reading);
      // What the app handed the socket for the round trip (its PUBLISH, its PUBREL at QoS 2, and its acks of
      // the copy it got back), in plaintext MQTT. What that costs on the UART and the air depends on the
      // mode, which the app cannot see: README, "Using libraries".
      metric(`mqttBytesOutPerRoundTripQos${qos}`, streams[0].bytesWritten - before);
    }

    step('a retained status');
    await client.publishAsync(topic('status'), 'online', { qos: 1, retain: true });
    const retained = nextMessage(topic('status'));
    await client.subscribeAsync(topic('status'), { qos: 1 });
    const status = await retained;
    expectTrue(
      'the status comes back retained',
      status.packet.retain && status.payload.toString() === 'online',
    );

    step('idle past the keepalive: PINGREQ and PINGRESP keep the connection');
    await new Promise((resolve) => setTimeout(resolve, KEEPALIVE_S * 1000 + 600));
    expectTrue(`a PINGREQ went out (sent: ${sent.join(',')})`, sent.includes('pingreq'));
    expectTrue('a PINGRESP came back', received.includes('pingresp'));
    expectTrue('still on the first connection', client.connected && streams.length === 1);

    step('the broker drops the connection; MQTT.js reconnects over a new TLSSocket');
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    const reconnected = new Promise<void>((resolve) => client.once('connect', () => resolve()));
    await client.publishAsync('lab/drop', '', { qos: 1 });
    await closed;
    await reconnected;
    expectTrue('a second stream was built', streams.length === 2);
    const after = nextMessage(topic('telemetry/1'));
    await client.publishAsync(topic('telemetry/1'), JSON.stringify({ temperature: 22, seq: 3 }), { qos: 1 });
    await after;
    metric('mqttReconnects', streams.length - 1);

    step('disconnect');
    await client.endAsync();
    await Promise.all(
      streams.map((s) => (s.closed ? null : new Promise((resolve) => s.once('close', resolve)))),
    );
    expectTrue(`no client errors (${errors.map((e) => e.message).join('; ')})`, errors.length === 0);
  },
  // The topic and the readings cross the UART in clear only when the modem runs TLS.
  uart: {
    mbedtls: { absent: ['tlssim/sensor-', '"temperature":'] },
    offload: { present: ['tlssim/sensor-offload/telemetry/1', '"temperature":21'] },
  },
});
