// The lab's HTTP API, served over the connections the lab's TLS server accepts (the `https` kind): Node's
// http server takes them through its 'connection' event, which doc/api/http.md says callers may emit
// themselves to hand it a socket. Keep-alive is Node's default, so two requests may share one connection;
// every response names its connection (`x-lab-connection`), so a client can see that they did.
//
//   GET  /api/status   → 200 {"ok":true,"connection":n,"request":k}
//   POST /api/readings → 201 {"received":<the JSON body>,"bytes":n,"connection":n}; 400 if not JSON
//   GET  /api/stream   → 200, chunked (no Content-Length): `count` JSON lines, written one by one
//   anything else      → 404 {"error":"not found"}
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { errorText, type ServerActivity } from './server-activity.ts';

/** Lines /api/stream sends when the query does not say (?count=n, at most 100). */
const STREAM_LINES = 5;
const MAX_STREAM_LINES = 100;
/** A POST body larger than this is refused (413): the lab never buffers without bound. */
const MAX_BODY_BYTES = 64 * 1024;

export interface HttpApi {
  serve(socket: Socket, remote: string): void;
  close(): Promise<void>;
}

export function startHttpApi(activity: ServerActivity): HttpApi {
  const connectionIds = new WeakMap<Socket, number>();
  const requestCounts = new WeakMap<Socket, number>();
  let connections = 0;
  const server = createServer((req, res) => {
    const socket = req.socket;
    const connection = connectionIds.get(socket) ?? 0;
    const request = (requestCounts.get(socket) ?? 0) + 1;
    requestCounts.set(socket, request);
    res.setHeader('x-lab-connection', String(connection));
    route(req, res, { connection, request }, activity);
  });
  server.on('clientError', (error, socket) => {
    activity.record('error', { error: errorText(error) });
    socket.destroy();
  });
  return {
    serve: (socket, remote) => {
      socket.on('error', (error) => activity.record('error', { remote, error: errorText(error) }));
      connectionIds.set(socket, ++connections);
      server.emit('connection', socket);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface RequestIds {
  connection: number;
  request: number;
}

function route(req: IncomingMessage, res: ServerResponse, ids: RequestIds, activity: ServerActivity): void {
  const url = new URL(req.url ?? '/', 'https://lab.invalid');
  if (req.method === 'GET' && url.pathname === '/api/status') json(res, 200, { ok: true, ...ids });
  else if (req.method === 'POST' && url.pathname === '/api/readings') readings(req, res, ids, activity);
  else if (req.method === 'GET' && url.pathname === '/api/stream') {
    const count = Math.min(
      Number(url.searchParams.get('count') ?? STREAM_LINES) || STREAM_LINES,
      MAX_STREAM_LINES,
    );
    stream(res, count);
  } else json(res, 404, { error: 'not found' });
}

function readings(
  req: IncomingMessage,
  res: ServerResponse,
  ids: RequestIds,
  activity: ServerActivity,
): void {
  const parts: Buffer[] = [];
  let bytes = 0;
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes <= MAX_BODY_BYTES) parts.push(chunk);
  });
  req.on('end', () => {
    activity.record('data-in', { bytes });
    if (bytes > MAX_BODY_BYTES) {
      json(res, 413, { error: 'body too large' });
      return;
    }
    try {
      json(res, 201, { received: JSON.parse(Buffer.concat(parts).toString('utf8')), bytes, ...ids });
    } catch {
      json(res, 400, { error: 'body is not JSON' });
    }
  });
}

/** Transfer-Encoding: chunked, because no Content-Length is set and each line is written by itself. */
function stream(res: ServerResponse, count: number): void {
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  let line = 0;
  const next = () => {
    if (line === count) {
      res.end();
      return;
    }
    line++;
    res.write(`${JSON.stringify({ line, of: count })}\n`);
    setImmediate(next);
  };
  next();
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
