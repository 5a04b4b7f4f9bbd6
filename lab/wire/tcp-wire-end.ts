// A wire end that a process reaches with --uart tcp://127.0.0.1:PORT.
import net from 'node:net';
import type { WireEnd } from './wire-end.ts';

export interface ListeningWireEnd {
  port: number;
  /** Settles when the process has dialled in. */
  connected: Promise<WireEnd>;
  /** Stops listening and hangs up on a process that dialled in; settles once both are closed. */
  close(): Promise<void>;
}

export async function listenWireEnd(host = '127.0.0.1', port = 0): Promise<ListeningWireEnd> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error(`${host}:${port} is not a TCP address`);
  // 'close' comes once the server stopped listening and its one connection (if any) is gone.
  const serverClosed = new Promise<void>((resolve) => server.once('close', () => resolve()));
  let accepted: net.Socket | null = null;
  const connected = new Promise<WireEnd>((resolve) => {
    server.once('connection', (socket) => {
      accepted = socket;
      // One process per end: no second connection.
      server.close();
      socket.setNoDelay(true);
      socket.on('error', () => {});
      resolve(socketWireEnd(socket));
    });
  });
  return {
    port: address.port,
    connected,
    close: () => {
      if (server.listening) server.close();
      accepted?.destroy();
      return serverClosed;
    },
  };
}

function socketWireEnd(socket: net.Socket): WireEnd {
  return {
    onBytes: (listener) => socket.on('data', (chunk: Buffer) => listener(new Uint8Array(chunk))),
    deliver: (bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    },
    onClose: (listener) => socket.on('close', listener),
    close: () => socket.destroy(),
  };
}
