// Node's http client, unchanged, over toDuplex and a TLS socket against the lab's `https` kind: JSON GET
// and POST, a chunked response, and keep-alive: two requests share one TLS connection (the server counts
// one connection and names it in both responses).
import { Agent, request } from 'node:http';
import { expect } from 'chai';
import { type Lab, startLab } from '../../../../lab/servers/lab.ts';
import { resetConfig } from '../../../../mcu/mbed-config.ts';
import { type SocketDuplex, toDuplex } from '../../../../mcu/netsocket/socket-duplex/socket-duplex.ts';
import type { Device } from '../../tls/device-fixture.ts';
import { deviceFor, openSocket, type Variant } from './duplex-fixture.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A keep-alive agent whose connections are TLS sockets of `variant` on the device. */
function deviceAgent(lab: Lab, device: Device, variant: Variant, streams: SocketDuplex[]): Agent {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  // http.Agent's documented hook (doc/api/http.md, agent.createConnection): any Duplex will do.
  agent.createConnection = () => {
    const opened = openSocket(lab, device, variant, 'https');
    const stream = toDuplex(opened.socket, { connect: opened.connect, destroySocket: true });
    streams.push(stream);
    return stream as unknown as ReturnType<Agent['createConnection']>;
  };
  return agent;
}

function call(lab: Lab, agent: Agent, method: string, path: string, body?: unknown): Promise<Reply> {
  const { host, port } = lab.server('https');
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      { host, port, method, path, agent, headers: payload ? { 'content-type': 'application/json' } : {} },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (chunk: Buffer) => parts.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(parts).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('Node http client over toDuplex against the lab https API', function () {
  this.timeout(60_000);
  let lab: Lab;
  let device: Device | undefined;
  before(async () => {
    lab = await startLab({ kinds: ['https'] });
  });
  after(() => lab.close());
  afterEach(async () => {
    await device?.close();
    device = undefined;
    resetConfig();
  });

  for (const variant of ['MbedtlsTLSSocket', 'OffloadTLSSocket', 'TLSSocketWrapper'] as const) {
    it(`${variant}: GET and POST JSON, a chunked response, all on one kept-alive TLS connection`, async () => {
      device = await deviceFor(lab, variant);
      const streams: SocketDuplex[] = [];
      const agent = deviceAgent(lab, device, variant, streams);
      const before = lab.stats('https').connections;
      try {
        const status = await call(lab, agent, 'GET', '/api/status');
        expect(status.status).to.equal(200);
        expect(JSON.parse(status.body)).to.include({ ok: true, request: 1 });

        const posted = await call(lab, agent, 'POST', '/api/readings', { temperature: 21.5, unit: 'C' });
        expect(posted.status).to.equal(201);
        expect(JSON.parse(posted.body)).to.deep.include({
          received: { temperature: 21.5, unit: 'C' },
          request: 2,
        });
        expect(posted.headers['x-lab-connection']).to.equal(status.headers['x-lab-connection']);

        const chunked = await call(lab, agent, 'GET', '/api/stream?count=4');
        expect(chunked.headers['transfer-encoding']).to.equal('chunked');
        expect(
          chunked.body
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line).line),
        ).to.deep.equal([1, 2, 3, 4]);

        expect(streams).to.have.length(1);
        expect(lab.stats('https').connections - before).to.equal(1);
      } finally {
        agent.destroy();
        await Promise.all(
          streams.map((s) => new Promise((resolve) => (s.closed ? resolve(null) : s.once('close', resolve)))),
        );
      }
    });
  }
});
