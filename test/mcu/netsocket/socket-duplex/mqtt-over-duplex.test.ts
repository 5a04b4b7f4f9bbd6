// MQTT.js, unchanged, over toDuplex against the lab's aedes broker, over every Socket kind: QoS 0, 1 and
// 2, retained messages, the lab's command on subscribe, keepalive across an idle spell, a reconnect after
// the broker drops the connection, mutual TLS.
import { expect } from 'chai';
import type { IPublishPacket } from 'mqtt';
import { type Lab, startLab } from '../../../../lab/servers/lab.ts';
import { MQTT_LAB_TOPICS } from '../../../../lab/servers/mqtt-broker.ts';
import { resetConfig } from '../../../../mcu/mbed-config.ts';
import type { Device } from '../../tls/device-fixture.ts';
import { deviceFor, VARIANTS } from './duplex-fixture.ts';
import { connectMqtt, type DeviceMqtt, next } from './mqtt-fixture.ts';

/** The next message on `topic` (a topic filter the client subscribed to). */
function message(mqtt: DeviceMqtt, topic: string): Promise<{ payload: Buffer; packet: IPublishPacket }> {
  return new Promise((resolve) => {
    const onMessage = (t: string, payload: Buffer, packet: IPublishPacket) => {
      if (t !== topic) return;
      mqtt.client.off('message', onMessage);
      resolve({ payload, packet });
    };
    mqtt.client.on('message', onMessage);
  });
}

describe('MQTT.js over toDuplex against the lab broker', function () {
  this.timeout(60_000);
  let lab: Lab;
  let device: Device | undefined;
  let mqtt: DeviceMqtt | undefined;
  before(async () => {
    lab = await startLab({ kinds: ['mqtt', 'mqtts', 'mqtts-mtls'] });
  });
  after(() => lab.close());
  afterEach(async () => {
    await mqtt?.client.endAsync(true);
    mqtt = undefined;
    await device?.close();
    device = undefined;
    resetConfig();
  });

  for (const variant of VARIANTS) {
    it(`${variant}: QoS 0, 1 and 2 round trips, a retained message, the lab's command answered`, async () => {
      device = await deviceFor(lab, variant);
      mqtt = connectMqtt(lab, device, variant, { clientId: `t-${variant}` });
      const { client } = mqtt;
      await next(client, 'connect');
      const id = `t-${variant}`;
      const command = message(mqtt, `tlssim/${id}/cmd`);
      await client.subscribeAsync([`tlssim/${id}/cmd`, `tlssim/${id}/echo/+`], { qos: 2 });
      const cmd = JSON.parse((await command).payload.toString());
      expect(cmd).to.include({ cmd: 'report', from: 'lab' });
      await client.publishAsync(`tlssim/${id}/reply`, JSON.stringify({ seq: cmd.seq, ok: true }), { qos: 1 });

      for (const qos of [0, 1, 2] as const) {
        const back = message(mqtt, `tlssim/${id}/echo/${qos}`);
        await client.publishAsync(`tlssim/${id}/echo/${qos}`, JSON.stringify({ qos, t: 21.5 }), { qos });
        const { payload, packet } = await back;
        expect(JSON.parse(payload.toString())).to.deep.equal({ qos, t: 21.5 });
        expect(packet.qos).to.equal(qos);
      }
      expect(mqtt.sent).to.include.members(['pubrel']);
      expect(mqtt.received).to.include.members(['puback', 'pubrec', 'pubcomp']);

      await client.publishAsync(`tlssim/${id}/status`, 'online', { qos: 1, retain: true });
      const retained = message(mqtt, `tlssim/${id}/status`);
      await client.subscribeAsync(`tlssim/${id}/status`, { qos: 1 });
      const { payload, packet } = await retained;
      expect(payload.toString()).to.equal('online');
      expect(packet.retain).to.equal(true);
      expect(mqtt.errors).to.deep.equal([]);
    });
  }

  for (const variant of ['MbedtlsTLSSocket', 'OffloadTLSSocket'] as const) {
    it(`${variant}: mutual TLS (mqtts-mtls) with the lab's client certificate`, async () => {
      device = await deviceFor(lab, variant);
      mqtt = connectMqtt(lab, device, variant, {
        clientId: `m-${variant}`,
        kind: 'mqtts-mtls',
        clientCert: true,
      });
      await next(mqtt.client, 'connect');
      await mqtt.client.publishAsync('tlssim/mtls/hello', 'hi', { qos: 1 });
      expect(mqtt.errors).to.deep.equal([]);
    });
  }

  for (const variant of ['TCPSocket', 'MbedtlsTLSSocket', 'OffloadTLSSocket'] as const) {
    it(`${variant}: keepalive PINGREQ/PINGRESP across an idle spell longer than the keepalive`, async () => {
      device = await deviceFor(lab, variant);
      mqtt = connectMqtt(lab, device, variant, { clientId: `k-${variant}`, keepalive: 1 });
      await next(mqtt.client, 'connect');
      await new Promise((resolve) => setTimeout(resolve, 1600));
      expect(mqtt.sent).to.include('pingreq');
      expect(mqtt.received).to.include('pingresp');
      expect(mqtt.client.connected).to.equal(true);
      expect(mqtt.streams).to.have.length(1);
    });

    it(`${variant}: the broker drops the connection; MQTT.js reconnects over a new socket and goes on`, async () => {
      device = await deviceFor(lab, variant);
      mqtt = connectMqtt(lab, device, variant, {
        clientId: `r-${variant}`,
        reconnectPeriod: 200,
        clean: false,
      });
      const { client } = mqtt;
      await next(client, 'connect');
      const id = `r-${variant}`;
      await client.subscribeAsync(`tlssim/${id}/after`, { qos: 1 });
      const closed = next(client, 'close');
      const reconnected = next(client, 'connect');
      await client.publishAsync(MQTT_LAB_TOPICS.drop, '', { qos: 1 });
      await closed;
      expect(mqtt.streams[0].destroyed).to.equal(true);
      await reconnected;
      expect(mqtt.streams).to.have.length(2);
      // The session survived (clean: false): the subscription made before the drop still delivers.
      const after = message(mqtt, `tlssim/${id}/after`);
      await client.publishAsync(`tlssim/${id}/after`, 'still here', { qos: 1 });
      expect((await after).payload.toString()).to.equal('still here');
    });
  }
});
