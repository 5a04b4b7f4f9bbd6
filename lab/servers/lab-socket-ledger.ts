// The lab's ends of the modem's connections, for simulated time (shared/sim/socket-ledger.ts): every lab
// server in the runner — the shared TCP/TLS servers, the UDP echo, the run's DTLS servers and fault
// proxies — counts what it read and wrote per client, so a run's coordinator can tell whether a byte
// its modem sent is still unread, or one the lab sent has not reached the modem yet.
import { SocketLedger } from '../../shared/sim/socket-ledger.ts';

export const labSocketLedger = new SocketLedger('server');
