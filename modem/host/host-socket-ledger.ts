// The modem's host sockets as simulated time counts them (shared/sim/socket-ledger.ts): process-wide,
// like the capture, and off unless the modem runs on simulated time (lab/cli/modem-command.ts sets it).
import type { Socket } from 'node:net';
import type { SocketLedger } from '../../shared/sim/socket-ledger.ts';

let ledger: SocketLedger | undefined;

export function setHostSocketLedger(value: SocketLedger | undefined): void {
  ledger = value;
}

/** A host TCP connection, once connected (its ports are known then). */
export function trackHostStream(socket: Socket): void {
  ledger?.trackStream(socket);
}

export function hostDatagramSent(localPort: number, remotePort: number, bytes: number): void {
  ledger?.datagramSent(localPort, remotePort, bytes);
}

export function hostDatagramReceived(localPort: number, remotePort: number, bytes: number): void {
  ledger?.datagramReceived(localPort, remotePort, bytes);
}

export function hostDatagramSocketClosed(localPort: number): void {
  ledger?.datagramSocketClosed(localPort);
}
