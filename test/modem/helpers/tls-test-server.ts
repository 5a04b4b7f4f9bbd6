import { createServer, type TLSSocket, type TlsOptions } from 'node:tls';

/** What the server saw of each client: SNI, protocol, and whether the client presented a certificate. */
export interface SeenClient {
  readonly servername: string | false | null;
  readonly protocol: string | null;
  readonly clientCertificate: boolean;
  readonly socket: TLSSocket;
}

export interface TlsTestServer {
  readonly port: number;
  readonly clients: SeenClient[];
  close(): Promise<void>;
}

/** A TLS echo server on 127.0.0.1 (or one that speaks first with `greeting`). */
export async function startTlsEcho(options: TlsOptions, greeting?: string): Promise<TlsTestServer> {
  const clients: SeenClient[] = [];
  const server = createServer({ minVersion: 'TLSv1.2', ...options }, (socket) => {
    clients.push({
      servername: socket.servername,
      protocol: socket.getProtocol(),
      clientCertificate: Object.keys(socket.getPeerCertificate()).length > 0,
      socket,
    });
    socket.on('error', () => {});
    if (greeting !== undefined) socket.write(greeting);
    socket.pipe(socket);
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    clients,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of clients) client.socket.destroy();
        server.close(() => resolve());
      }),
  };
}
