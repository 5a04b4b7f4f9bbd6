// UDP echo on loopback: each datagram goes back, whole, to whoever sent it.
import { createSocket } from 'node:dgram';
import { LAB_ADDRESS } from '../pki/lab-hostnames.ts';
import { labSocketLedger } from './lab-socket-ledger.ts';
import { errorText, type ServerActivity } from './server-activity.ts';
import type { RunningServer } from './stream-server.ts';

export function startUdpEchoServer(activity: ServerActivity, port: number): Promise<RunningServer> {
  const socket = createSocket('udp4');
  socket.on('message', (message, sender) => {
    const remote = `${sender.address}:${sender.port}`;
    activity.record('datagram', { remote, bytes: message.length });
    const own = socket.address().port;
    labSocketLedger.datagramReceived(own, sender.port, message.length);
    labSocketLedger.datagramSent(own, sender.port, message.length);
    socket.send(message, sender.port, sender.address, (error) => {
      if (error) activity.record('error', { remote, error: errorText(error) });
      else activity.record('data-out', { remote, bytes: message.length });
    });
  });
  let closed = false;
  const close = () =>
    new Promise<void>((resolve) => {
      if (closed) return resolve();
      closed = true;
      socket.close(() => resolve());
    });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, LAB_ADDRESS, () => {
      socket.off('error', reject);
      // ICMP unreachable replies and the like surface here; counted so they cannot crash the lab.
      socket.on('error', (error) => activity.record('error', { error: errorText(error) }));
      resolve({ port: socket.address().port, close });
    });
  });
}
