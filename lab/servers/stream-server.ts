// A plain TCP or TLS lab server on loopback. It keeps every raw connection it accepted, so close() can destroy
// them (including half-done handshakes) and never waits on a client that does not hang up.
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket, type TlsOptions } from 'node:tls';
import { LAB_ADDRESS } from '../pki/lab-hostnames.ts';
import { labSocketLedger } from './lab-socket-ledger.ts';
import { errorText, type ServerActivity } from './server-activity.ts';
import type { ServiceName } from './server-kinds.ts';
import { attachSessionCache } from './session-cache.ts';
import { serveStream } from './stream-service.ts';

/** Serves one connected stream (plain TCP, or TLS once the handshake is done). */
export type ConnectionHandler = (socket: Socket, remote: string) => void;

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

export interface StreamServerOptions {
  service: ServiceName;
  activity: ServerActivity;
  /** 0 picks a free port. */
  port: number;
  /** Present for TLS servers. */
  tls?: TlsOptions;
  /** Serves the connection instead of `service` (protocol servers: MQTT, HTTP; protocol-service.ts). */
  serve?: ConnectionHandler;
}

export async function startStreamServer(options: StreamServerOptions): Promise<RunningServer> {
  const { service, activity } = options;
  const connections = new Set<Socket>();
  const serve: ConnectionHandler =
    options.serve ?? ((socket, remote) => serveStream(socket, service, activity, remote));
  let server: Server;
  if (options.tls) {
    const tlsServer = createTlsServer(options.tls);
    // Clients may resume by session ticket (Node's default) or by session ID (this cache).
    attachSessionCache(tlsServer);
    tlsServer.on('secureConnection', (socket: TLSSocket) => {
      const remote = remoteOf(socket);
      activity.record('handshake', { remote, resumed: socket.isSessionReused() });
      serve(socket, remote);
    });
    tlsServer.on('tlsClientError', (error, socket) => {
      // Node judges a client certificate after the handshake and just drops the client (the error is then a
      // bare ECONNRESET, the address gone); authorizationError keeps the real reason.
      const reason = socket.authorizationError ? String(socket.authorizationError) : errorText(error);
      activity.record('tls-error', { remote: remoteOf(socket), error: reason });
      socket.destroy();
    });
    server = tlsServer;
  } else {
    server = createTcpServer((socket) => serve(socket, remoteOf(socket)));
  }
  // 'connection' gives the raw TCP socket for both kinds of server, before any TLS.
  server.on('connection', (socket: Socket) => {
    const remote = remoteOf(socket);
    connections.add(socket);
    labSocketLedger.trackStream(socket);
    activity.record('connection', { remote });
    socket.once('close', () => {
      connections.delete(socket);
      activity.record('close', { remote });
    });
  });
  // A listening server reports errors (EMFILE on accept…) here; counted so they cannot crash the lab.
  const port = await listen(server, options.port, (error) =>
    activity.record('error', { error: errorText(error) }),
  );
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of connections) socket.destroy();
      }),
  };
}

function listen(server: Server, port: number, onLaterError: (error: Error) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    server.once('error', failed);
    server.listen(port, LAB_ADDRESS, () => {
      server.off('error', failed);
      server.on('error', onLaterError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

// After a reset the address may already be gone.
function remoteOf(socket: Socket): string {
  return socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort}` : 'unknown';
}
