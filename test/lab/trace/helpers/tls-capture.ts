// Real TLS bytes for the analyser's tests: a Node TLS client talks to a Node TLS echo server through
// a loopback proxy that records every chunk each way, as a modem's socket would carry them.
import { once } from 'node:events';
import { type AddressInfo, createServer, connect as netConnect, type Server } from 'node:net';
import { createServer as createTlsServer, connect as tlsConnect } from 'node:tls';
import type { LabPki } from '../../../../lab/pki/lab-pki.ts';

export interface TlsCapture {
  /** Client to server (what the MCU would QISEND), chunk by chunk as it crossed. */
  clientChunks: Buffer[];
  /** Server to client (what the MCU would QIRD). */
  serverChunks: Buffer[];
  client: Buffer;
  server: Buffer;
  /** The SNI the client sent. */
  servername: string;
}

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** One TLS 1.2 session: handshake, `message` echoed back, then close_notify from the client. */
export async function captureTlsSession(pki: LabPki, message: string): Promise<TlsCapture> {
  const echo = pki.servers.echo;
  const tlsServer = createTlsServer({ key: echo.keyPem, cert: echo.chainPem }, (socket) => {
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  const clientChunks: Buffer[] = [];
  const serverChunks: Buffer[] = [];
  const proxy = createServer((inbound) => {
    const outbound = netConnect(tlsPort, '127.0.0.1');
    inbound.on('data', (d: Buffer) => {
      clientChunks.push(Buffer.from(d));
      outbound.write(d);
    });
    outbound.on('data', (d: Buffer) => {
      serverChunks.push(Buffer.from(d));
      inbound.write(d);
    });
    inbound.on('end', () => outbound.end());
    outbound.on('end', () => inbound.end());
    inbound.on('error', () => outbound.destroy());
    outbound.on('error', () => inbound.destroy());
  });
  const tlsPort = await listen(tlsServer);
  const proxyPort = await listen(proxy);
  try {
    const client = tlsConnect({
      host: '127.0.0.1',
      port: proxyPort,
      servername: echo.hostname,
      ca: pki.caPem,
      // Mbed TLS 2.28 on the MCU speaks TLS 1.2, so the captured session does too.
      maxVersion: 'TLSv1.2',
    });
    await once(client, 'secureConnect');
    client.write(message);
    let echoed = '';
    await new Promise<void>((resolve, reject) => {
      client.on('data', (data: Buffer) => {
        echoed += data.toString();
        if (echoed.length >= message.length) resolve();
      });
      client.on('error', reject);
      client.on('close', () => reject(new Error('closed before the echo came back')));
    });
    client.removeAllListeners('close');
    const closed = once(client, 'close');
    client.end();
    await closed;
    if (echoed !== message) throw new Error(`echo mismatch: ${echoed}`);
  } finally {
    proxy.close();
    tlsServer.close();
  }
  return {
    clientChunks,
    serverChunks,
    client: Buffer.concat(clientChunks),
    server: Buffer.concat(serverChunks),
    servername: echo.hostname,
  };
}

/** Content types of the records in a byte stream, by a plain walk over their 5-byte headers. */
export function recordTypes(stream: Buffer): number[] {
  const types: number[] = [];
  for (let at = 0; at + 5 <= stream.length; at += 5 + stream.readUInt16BE(at + 3)) types.push(stream[at]);
  return types;
}
