// Which connection each data phase belongs to. The modem reuses socket ids, so every AT+QIOPEN or
// AT+QSSLOPEN starts a new connection on its id; data for an id never opened in the trace (a trace
// that starts mid-session) gets a connection of unknown service. Only the connection current on each
// id is kept: the one it replaces gets no more data, and the listener hears so (the analyser lets go
// of what it followed for it).
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

/** Hears of each connection as it is made, with the one it replaces on its id. */
export type ConnectionListener = (opened: Connection, replaced: Connection | undefined) => void;

export class ConnectionTable {
  private readonly current = new Map<string, Connection>();
  /** How many connections each channel and id has had. */
  private readonly generations = new Map<string, number>();

  constructor(private readonly listener: ConnectionListener = () => {}) {}

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

  /** The connections still current, one per channel and id. */
  live(): Connection[] {
    return [...this.current.values()];
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
    const id = `${channel}${socketId}`;
    const generation = (this.generations.get(id) ?? 0) + 1;
    this.generations.set(id, generation);
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
    const replaced = this.current.get(id);
    this.current.set(id, connection);
    this.listener(connection, replaced);
    return connection;
  }
}
