// echo, discard and daytime on one connected stream; the same code serves plain TCP and TLS.
import type { Socket } from 'node:net';
import { daytimeLine } from './daytime.ts';
import { errorText, type ServerActivity } from './server-activity.ts';
import type { ServiceName } from './server-kinds.ts';

export function serveStream(
  socket: Socket,
  service: ServiceName,
  activity: ServerActivity,
  remote: string,
): void {
  // A client that resets or sends garbage costs its own connection only: errors are counted, never thrown.
  socket.on('error', (error) => activity.record('error', { remote, error: errorText(error) }));
  socket.on('data', (chunk: Buffer) => {
    activity.record('data-in', { remote, bytes: chunk.length });
    if (service !== 'echo') return;
    activity.record('data-out', { remote, bytes: chunk.length });
    // Backpressure: a client that sends without reading must not make the server buffer without limit.
    if (!socket.write(chunk)) socket.pause();
  });
  socket.on('drain', () => socket.resume());
  if (service === 'daytime') {
    const line = daytimeLine();
    activity.record('data-out', { remote, bytes: Buffer.byteLength(line) });
    // end() closes after the line: FIN on TCP, close_notify then FIN on TLS (the "peer close" clients expect).
    socket.end(line);
  }
}
