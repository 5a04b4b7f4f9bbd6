// Small promise-based clients for testing the lab servers from the outside, over loopback.
import { createSocket } from 'node:dgram';
import { connect as connectTcp, type Socket } from 'node:net';
import { type ConnectionOptions, connect as connectTls, type TLSSocket } from 'node:tls';
import type { LabServerAddress } from '../../../lab/servers/lab.ts';

export function openTcp(server: LabServerAddress): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(server.port, server.address, () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Resolves once the handshake is done (TLS 1.3: before the server has judged a client certificate). */
export function openTls(server: LabServerAddress, options: ConnectionOptions = {}): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connectTls({
      host: server.address,
      port: server.port,
      servername: server.host,
      ...options,
    });
    socket.once('secureConnect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** The error a TLS connection ends with, whether during the handshake or at the first read. */
export function tlsFailure(
  server: LabServerAddress,
  options: ConnectionOptions = {},
): Promise<NodeJS.ErrnoException> {
  return new Promise((resolve, reject) => {
    const socket = connectTls({
      host: server.address,
      port: server.port,
      servername: server.host,
      ...options,
    });
    socket.once('error', (error) => {
      socket.destroy();
      resolve(error);
    });
    socket.once('secureConnect', () => socket.write('x'));
    socket.once('data', () => {
      socket.destroy();
      reject(new Error(`connection to ${server.host} succeeded`));
    });
  });
}

/** Reads exactly `length` bytes (rejects if the stream ends first). */
export function readExactly(socket: Socket, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      got += chunk.length;
      if (got >= length) {
        cleanup();
        resolve(Buffer.concat(chunks).subarray(0, length));
      }
    };
    const onEnd = () => {
      cleanup();
      reject(new Error(`stream ended after ${got} of ${length} bytes`));
    };
    const cleanup = () => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', onEnd);
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('error', onEnd);
  });
}

/** Everything until the peer closes. */
export function readToEnd(socket: Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('end', () => resolve(Buffer.concat(chunks)));
    socket.once('error', reject);
  });
}

export async function echoRoundTrip(socket: Socket, payload: Buffer): Promise<Buffer> {
  const back = readExactly(socket, payload.length);
  socket.write(payload);
  return back;
}

/** Sends one datagram and waits for the first answer. */
export function udpRoundTrip(server: LabServerAddress, payload: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', (error) => {
      socket.close();
      reject(error);
    });
    socket.once('message', (message) => {
      socket.close();
      resolve(message);
    });
    socket.send(payload, server.port, server.address);
  });
}

/** Resolves when the socket is fully closed. */
export function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed && socket.closed) resolve();
    else socket.once('close', () => resolve());
  });
}
