// Which connection each data phase belongs to. The modem reuses socket ids, so every AT+QIOPEN or
// AT+QSSLOPEN starts a new connection on its id; data for an id never opened in the trace (a trace
// that starts mid-session) gets a connection of unknown service.
import { intParam } from './at-command.ts';
import type { CommandEvent, DataEvent } from './at-events.ts';

export interface Connection {
  /** `qi0#1`: channel, socket id, and the how-manieth connection on it. */
  key: string;
  /** qi: the modem's plain TCP/UDP sockets (QI*); ssl: the modem's own TLS sockets (QSSL*). */
  channel: 'qi' | 'ssl';
  socketId: number;
  /** `TCP`, `UDP`, `UDP SERVICE`, `TLS` (QSSLOPEN), or `?` when the open is not in the trace. */
  service: string;
  remote?: string;
  /** Datagrams (UDP): each data phase is one datagram, records never span two. */
  datagram: boolean;
  label: string;
}

export class ConnectionTable {
  readonly all: Connection[] = [];
  private readonly current = new Map<string, Connection>();

  /** Notes the opens; everything else leaves the table as it is. */
  onCommand(event: CommandEvent): void {
    const command = event.command;
    if (command?.form !== 'write') return;
    const p = command.params;
    if (command.name === 'AT+QIOPEN') {
      const id = intParam(p, 1);
      const service = p[2]?.text ?? '?';
      // A UDP SERVICE socket has no remote: each QISEND names its peer, each QIRD says where from.
      const remote = service === 'UDP SERVICE' ? undefined : `${p[3]?.text ?? '?'}:${p[4]?.text ?? '?'}`;
      if (id !== undefined) this.open('qi', id, service, remote);
    } else if (command.name === 'AT+QSSLOPEN') {
      const id = intParam(p, 2);
      if (id !== undefined) this.open('ssl', id, 'TLS', `${p[3]?.text ?? '?'}:${p[4]?.text ?? '?'}`);
    }
  }

  /** The connection a QISEND/QIRD/QSSLSEND/QSSLRECV or push URC belongs to (undefined for QFUPL). */
  forData(event: DataEvent): Connection | undefined {
    if (event.via === 'QFUPL') return undefined;
    const channel =
      event.via === 'QSSLSEND' || event.via === 'QSSLRECV' || event.via === 'QSSLURC' ? 'ssl' : 'qi';
    const id = event.socketId ?? -1;
    const found = this.current.get(`${channel}${id}`);
    if (found) return found;
    return this.open(channel, id, event.peer ? 'UDP SERVICE' : '?');
  }

  private open(channel: 'qi' | 'ssl', socketId: number, service: string, remote?: string): Connection {
    const generation = this.all.filter((c) => c.channel === channel && c.socketId === socketId).length + 1;
    const key = `${channel}${socketId}#${generation}`;
    const kind = channel === 'ssl' ? 'modem TLS' : service;
    const connection: Connection = {
      key,
      channel,
      socketId,
      service,
      remote,
      datagram: channel === 'qi' && service.startsWith('UDP'),
      label: `${channel === 'ssl' ? 'ssl' : 'socket'} ${socketId} (${kind}${remote ? ` ${remote}` : ''})`,
    };
    this.all.push(connection);
    this.current.set(`${channel}${socketId}`, connection);
    return connection;
  }
}
