// What goes wrong on the broker's side reaches MQTT.js as errors, never as an exception: the broker closing
// in the middle of a publish, and a malformed packet from the broker. And a 1 MiB publish each way stays
// bounded in the adapter: it reads no more than its readable side takes, and merges no more than one
// record's worth.
import { expect } from 'chai';
import { type Lab, startLab } from '../../../../lab/servers/lab.ts';
import { MQTT_LAB_TOPICS } from '../../../../lab/servers/mqtt-broker.ts';
import { resetConfig } from '../../../../mcu/mbed-config.ts';
import type { Device } from '../../tls/device-fixture.ts';
import { deviceFor, type Variant } from './duplex-fixture.ts';
import { connectMqtt, type DeviceMqtt, next } from './mqtt-fixture.ts';

const VARIANTS: readonly Variant[] = ['TCPSocket', 'MbedtlsTLSSocket', 'OffloadTLSSocket'];

describe('MQTT.js over toDuplex: bad input and big messages', function () {
  this.timeout(120_000);
  let lab: Lab;
  let device: Device | undefined;
  let mqtt: DeviceMqtt | undefined;
  const uncaught: Error[] = [];
  const onUncaught = (error: Error) => uncaught.push(error);
  before(async () => {
    lab = await startLab({ kinds: ['mqtt', 'mqtts'] });
    process.on('uncaughtException', onUncaught);
  });
  after(async () => {
    process.off('uncaughtException', onUncaught);
    await lab.close();
  });
  beforeEach(() => {
    uncaught.length = 0;
  });
  afterEach(async () => {
    await mqtt?.client.endAsync(true);
    mqtt = undefined;
    await device?.close();
    device = undefined;
    resetConfig();
    expect(uncaught, 'no exception escaped').to.deep.equal([]);
  });

  for (const variant of VARIANTS) {
    it(`${variant}: the broker closes mid-publish: the publish is not acknowledged, the stream closes, errors carry nsapi codes`, async () => {
      device = await deviceFor(lab, variant);
      mqtt = connectMqtt(lab, device, variant, { clientId: `b-${variant}` });
      const { client } = mqtt;
      await next(client, 'connect');
      await client.publishAsync(MQTT_LAB_TOPICS.dropMidPublish, '', { qos: 1 });
      const closed = next(client, 'close');
      let acknowledged = false;
      client.publish('tlssim/big', Buffer.alloc(64 * 1024, 0x5a), { qos: 1 }, (error) => {
        acknowledged = !error;
      });
      await closed;
      // The socket took the bytes before the modem reported the close (BG96: +QIURC "closed"), so what
      // the device sees is the end of the stream: MQTT.js keeps the publish unacknowledged, to resend.
      expect(acknowledged).to.equal(false);
      for (const error of mqtt.errors as NodeJS.ErrnoException[])
        expect(error.code).to.match(/^NSAPI_ERROR_/);
      expect(mqtt.streams[0].destroyed).to.equal(true);
    });

    it(`${variant}: a malformed packet from the broker is an MQTT.js error; ending the client lets the socket go`, async () => {
      device = await deviceFor(lab, variant);
      mqtt = connectMqtt(lab, device, variant, { clientId: `g-${variant}` });
      const { client } = mqtt;
      await next(client, 'connect');
      // What an application does with a client error: end the client (MQTT.js keeps the stream otherwise).
      const failed = new Promise<Error>((resolve) => client.once('error', resolve));
      client.publish(MQTT_LAB_TOPICS.garbage, '', { qos: 0 });
      const error = await failed;
      expect(error.message).to.match(/not supported|invalid|unknown|header/i);
      await client.endAsync(true);
      expect(mqtt.streams[0].destroyed).to.equal(true);
    });
  }

  for (const variant of VARIANTS) {
    it(`${variant}: a 1 MiB publish out and back stays bounded in the adapter's buffers`, async () => {
      device = await deviceFor(lab, variant);
      mqtt = connectMqtt(lab, device, variant, { clientId: `l-${variant}` });
      const { client } = mqtt;
      await next(client, 'connect');
      const topic = `tlssim/l-${variant}/large`;
      await client.subscribeAsync(topic, { qos: 1 });
      const payload = Buffer.alloc(1024 * 1024);
      for (let i = 0; i < payload.length; i++) payload[i] = (i * 13) & 0xff;
      const back = new Promise<Buffer>((resolve) => client.once('message', (_t, p: Buffer) => resolve(p)));
      await client.publishAsync(topic, payload, { qos: 1 });
      expect((await back).equals(payload)).to.equal(true);
      const [stream] = mqtt.streams;
      expect(stream.bytesWritten).to.be.greaterThan(payload.length);
      expect(stream.bytesRead).to.be.greaterThan(payload.length);
      // Read side: never more than its highWaterMark plus the one recv() that overfilled it.
      expect(stream.stats.peakReadableBytes).to.be.at.most(stream.readableHighWaterMark + 1500);
      // Write side: the payload went out as MQTT.js's own buffer (a view), never copied whole.
      expect(stream.stats.peakMergedBytes).to.be.at.most(16_384);
      expect(mqtt.errors).to.deep.equal([]);
    });
  }
});
