import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';

/** A TCP echo server on 127.0.0.1 that tests start and stop themselves. */
export interface TcpTestServer {
  readonly port: number;
  /** Sockets the server accepted, newest last (so a test can make the peer close). */
  readonly connections: Socket[];
  close(): Promise<void>;
}

export async function startTcpEcho(): Promise<TcpTestServer> {
  const connections: Socket[] = [];
  const server: Server = createServer((socket) => {
    connections.push(socket);
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of connections) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface UdpTestServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startUdpEcho(): Promise<UdpTestServer> {
  const socket: UdpSocket = createSocket('udp4');
  socket.on('message', (message, from) => socket.send(message, from.port, from.address));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
