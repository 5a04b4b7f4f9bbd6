import type { ModemSocket } from './modem-socket.ts';

/** BG96: connectIDs (and SSL clientIDs, which share them) are 0–11. */
export const MAX_SOCKET_ID = 11;

export class SocketTable {
  private readonly sockets = new Map<number, ModemSocket>();

  get(id: number): ModemSocket | undefined {
    return this.sockets.get(id);
  }

  add(socket: ModemSocket): void {
    this.sockets.set(socket.info.id, socket);
  }

  /** Removes `socket` only if it still holds its id (a later open may have reused it). */
  remove(socket: ModemSocket): void {
    if (this.sockets.get(socket.info.id) === socket) this.sockets.delete(socket.info.id);
  }

  all(): ModemSocket[] {
    return [...this.sockets.values()].sort((a, b) => a.info.id - b.info.id);
  }
}
