// A device calling a JSON API with Node's http client, unchanged, over a TLSSocket through toDuplex, in
// both modes: GET and POST JSON, a chunked response, and keep-alive, so the three requests share one TLS
// connection (one handshake). The server is the lab's `https` kind (lab/servers/http-api.ts), which names
// the connection in every response.
import { Agent, type IncomingHttpHeaders, request } from 'node:http';
import { defineScenario, expectTrue, type SocketDuplex } from 'tlssim';
import { secureStream } from './_support/secure-stream.ts';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export default defineScenario({
  name: 'https-api',
  description: "Node's http client over TLSSocket via toDuplex: JSON GET/POST, chunked, keep-alive",
  servers: ['https'],
  timeoutMs: 30_000,
  async app({ net, server, pki, step, metric }) {
    const api = server('https');
    const streams: SocketDuplex[] = [];
    // http.Agent's documented hook (doc/api/http.md, agent.createConnection): any Duplex will do.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    agent.createConnection = () => {
      const stream = secureStream(net, api, pki.caPem);
      streams.push(stream);
      return stream as unknown as ReturnType<Agent['createConnection']>;
    };
    const call = (method: string, path: string, body?: unknown) =>
      new Promise<Reply>((resolve, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const headers = payload ? { 'content-type': 'application/json' } : {};
        const req = request({ host: api.host, port: api.port, method, path, agent, headers }, (res) => {
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
        });
        req.on('error', reject);
        req.end(payload);
      });

    step('GET /api/status');
    const status = await call('GET', '/api/status');
    expectTrue(
      `status 200 (got ${status.status})`,
      status.status === 200 && JSON.parse(status.body).ok === true,
    );

    step('POST /api/readings');
    const reading = { device: 'sensor-1', temperature: 21.5, humidity: 40 };
    const posted = await call('POST', '/api/readings', reading);
    expectTrue(`created (got ${posted.status})`, posted.status === 201);
    expectTrue(
      'the server got the reading',
      JSON.stringify(JSON.parse(posted.body).received) === JSON.stringify(reading),
    );

    step('GET /api/stream (chunked)');
    const chunked = await call('GET', '/api/stream?count=5');
    expectTrue('Transfer-Encoding: chunked', chunked.headers['transfer-encoding'] === 'chunked');
    const lines = chunked.body.trim().split('\n');
    expectTrue(`five lines (got ${lines.length})`, lines.length === 5 && JSON.parse(lines[4]).line === 5);

    step('keep-alive: one TLS connection for the three requests');
    const connections = new Set([status, posted, chunked].map((r) => r.headers['x-lab-connection']));
    expectTrue(`one server connection (saw ${[...connections].join(', ')})`, connections.size === 1);
    expectTrue(`one socket built (built ${streams.length})`, streams.length === 1);
    metric('httpRequestsPerConnection', 3);
    metric('httpBytesWritten', streams[0].bytesWritten);
    metric('httpBytesRead', streams[0].bytesRead);

    step('close');
    agent.destroy();
    await Promise.all(
      streams.map((s) => (s.closed ? null : new Promise((resolve) => s.once('close', resolve)))),
    );
  },
  uart: {
    mbedtls: { absent: ['POST /api/readings', '"temperature":21.5'] },
    offload: { present: ['POST /api/readings', '"temperature":21.5'] },
  },
});
