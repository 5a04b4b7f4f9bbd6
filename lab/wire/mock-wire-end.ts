// A wire end on an in-process mock UART port (see shared/uart/mock-link.ts).
import { deliverToMock, listenMockWrites } from '../../shared/uart/mock-link.ts';
import type { WireEnd } from './wire-end.ts';

export function mockWireEnd(path: string): WireEnd {
  let closed = false;
  const closeListeners: Array<() => void> = [];
  return {
    onBytes: (listener) => listenMockWrites(path, (bytes) => listener(new Uint8Array(bytes))),
    deliver: (bytes) => {
      if (!closed) deliverToMock(path, bytes);
    },
    onClose: (listener) => closeListeners.push(listener),
    close: () => {
      if (closed) return;
      closed = true;
      for (const l of closeListeners) l();
    },
  };
}
