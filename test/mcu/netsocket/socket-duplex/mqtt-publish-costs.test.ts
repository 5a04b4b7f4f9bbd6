// What one MQTT publish costs in each mode, measured on the in-process device: the MQTT bytes the app
// hands the adapter, the UART bytes each way (the mock UART's tap) and the air bytes each way (the modem's
// meter, payload + the IP/TCP header estimate of docs/costs.md). The app cannot see the last two, so the
// figures come from here (printed as a table; the README quotes them).
import { expect } from 'chai';
import { type Lab, startLab } from '../../../../lab/servers/lab.ts';
import { resetConfig } from '../../../../mcu/mbed-config.ts';
import type { Device } from '../../tls/device-fixture.ts';
import { deviceFor, type Variant } from './duplex-fixture.ts';
import { connectMqtt, next } from './mqtt-fixture.ts';

const PUBLISHES = 10;
const TOPIC = 'tlssim/cost/telemetry';
const PAYLOAD = JSON.stringify({ temperature: 21.5, humidity: 40.2, battery: 3.71, seq: 1234 });

interface Totals {
  uartTx: number;
  uartRx: number;
  airUp: number;
  airDown: number;
}

function totals(device: Device): Totals {
  const sum = (chunks: Buffer[]) => chunks.reduce((n, c) => n + c.length, 0);
  const air = device.modem.airConnections();
  const total = (dir: 'up' | 'down') => air.reduce((n, c) => n + c[dir].payloadBytes + c[dir].headerBytes, 0);
  return {
    uartTx: sum(device.uart.tx),
    uartRx: sum(device.uart.rx),
    airUp: total('up'),
    airDown: total('down'),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
const pause = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('MQTT publish costs per mode (air and UART bytes per publish)', function () {
  this.timeout(60_000);
  let lab: Lab;
  const rows: string[] = [];
  before(async () => {
    lab = await startLab({ kinds: ['mqtt', 'mqtts'] });
  });
  after(async () => {
    await lab.close();
    resetConfig();
    console.log(
      [
        '| mode | QoS | MQTT bytes out | UART tx | UART rx | air up | air down |',
        '|---|--:|--:|--:|--:|--:|--:|',
        ...rows,
      ].join('\n'),
    );
  });

  const modes: Array<[string, Variant]> = [
    ['plain TCP', 'TCPSocket'],
    ['mbedtls', 'MbedtlsTLSSocket'],
    ['offload', 'OffloadTLSSocket'],
  ];
  for (const [mode, variant] of modes) {
    for (const qos of [0, 1] as const) {
      it(`${mode}, QoS ${qos}`, async () => {
        const device = await deviceFor(lab, variant);
        const mqtt = connectMqtt(lab, device, variant, { clientId: `cost-${variant}-${qos}` });
        try {
          await next(mqtt.client, 'connect');
          await settle();
          const start = totals(device);
          const mqttStart = mqtt.streams[0].bytesWritten;
          // One at a time, as a sensor publishes: MQTT.js completes a QoS 0 publish once the stream took it,
          // so without the pause the adapter would merge queued publishes into one send.
          for (let i = 0; i < PUBLISHES; i++) {
            await mqtt.client.publishAsync(TOPIC, PAYLOAD, { qos });
            await pause();
          }
          await settle();
          const end = totals(device);
          const per = (key: keyof Totals) => (end[key] - start[key]) / PUBLISHES;
          const mqttBytes = (mqtt.streams[0].bytesWritten - mqttStart) / PUBLISHES;
          rows.push(
            `| ${mode} | ${qos} | ${mqttBytes} | ${per('uartTx')} | ${per('uartRx')} | ${per('airUp')} | ${per('airDown')} |`,
          );
          // The PUBLISH itself: fixed header, topic, (packet id at QoS 1), payload.
          expect(mqttBytes).to.equal(2 + 2 + TOPIC.length + (qos ? 2 : 0) + PAYLOAD.length);
          expect(per('airUp')).to.be.greaterThan(mqttBytes);
          expect(per('uartTx')).to.be.greaterThan(mqttBytes);
          // QoS 1 adds the PUBACK coming down; QoS 0 nothing.
          if (qos === 0) expect(per('airDown')).to.equal(0);
          else expect(per('airDown')).to.be.greaterThan(0);
          expect(mqtt.errors).to.deep.equal([]);
        } finally {
          await mqtt.client.endAsync(true);
          await device.close();
        }
      });
    }
  }
});
