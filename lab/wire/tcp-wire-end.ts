// A wire end that a process reaches with --uart tcp://127.0.0.1:PORT.
import net from 'node:net';
import type { WireEnd } from './wire-end.ts';

export interface ListeningWireEnd {
  port: number;
  /** Settles when the process has dialled in. */
  connected: Promise<WireEnd>;
  close(): void;
}

export async function listenWireEnd(host = '127.0.0.1', port = 0): Promise<ListeningWireEnd> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const connected = new Promise<WireEnd>((resolve) => {
    server.once('connection', (socket) => {
      server.close();
      socket.setNoDelay(true);
      socket.on('error', () => {});
      resolve(socketWireEnd(socket));
    });
  });
  return { port: (server.address() as net.AddressInfo).port, connected, close: () => server.close() };
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
