// The session-ID cache of a lab TLS server (RFC 5246 §7.4.1.2: a client offers an earlier session's ID,
// the server resumes it from its cache). Node's TLS server keeps sessions for resumption by ID only when
// 'newSession' and 'resumeSession' are handled; tickets (RFC 5077) work without it. Bounded: the oldest
// session goes first, as in a real server's cache.
import type { Server } from 'node:tls';

const DEFAULT_CAPACITY = 256;

export function attachSessionCache(server: Server, capacity = DEFAULT_CAPACITY): void {
  const sessions = new Map<string, Buffer>();
  server.on('newSession', (id: Buffer, data: Buffer, done: () => void) => {
    sessions.set(id.toString('hex'), data);
    if (sessions.size > capacity) {
      const oldest = sessions.keys().next().value;
      if (oldest !== undefined) sessions.delete(oldest);
    }
    done();
  });
  server.on('resumeSession', (id: Buffer, done: (error: Error | null, data: Buffer | null) => void) => {
    // An unknown ID is not an error: the handshake simply goes full.
    done(null, sessions.get(id.toString('hex')) ?? null);
  });
}
