import type { Logger } from '../shared/log.ts';
import type { ResponseLine } from './at/response.ts';
import type { HostResolver } from './host/resolver.ts';
import type { LinkShaper } from './link/link-shaper.ts';
import type { ResolvedModemOptions } from './modem-options.ts';
import type { ModemState } from './modem-state.ts';
import type { ModemSocket } from './sockets/modem-socket.ts';
import type { SocketTable } from './sockets/socket-table.ts';
import type { FileStore } from './ufs/file-store.ts';

/** Everything a command family's handlers may use. One instance per modem. */
export interface ModemContext {
  readonly state: ModemState;
  readonly options: ResolvedModemOptions;
  readonly sockets: SocketTable;
  readonly files: FileStore;
  readonly resolver: HostResolver;
  /** Queues a URC; it is written between responses. */
  urc(...lines: ResponseLine[]): void;
  readonly log: Logger;
  /** The link shaping for a new connection; undefined on the ideal link. */
  linkFor(label: string, ordered: boolean): LinkShaper | undefined;
  /** A socket left the table: its air figures are final (docs/costs.md). */
  socketFinished(socket: ModemSocket): void;
  /** Drops every socket of a context (AT+QIDEACT, radio off, network loss). */
  dropSockets(contextId: number): void;
  /** AT+CFUN=1,1: after the OK, close everything and boot again (RDY). */
  reboot(): void;
}
