// A loopback TCP proxy in front of a real server, for the hostile-server cases: it forwards faithfully
// until told to cut the server → client stream after so many bytes, and then ends (FIN), resets (RST) or
// goes silent. The cut lands wherever the byte count says, so a record can be truncated mid-way.
import net from 'node:net';

export type CutAction = 'end' | 'reset' | 'hold';

export interface ProxyLink {
  /** the connection the device side opened */
  readonly client: net.Socket;
  /** the proxy's connection to the real server */
  readonly server: net.Socket;
  /** every server → client byte actually forwarded */
  readonly toClient: Buffer[];
  /** Forward at most `bytes` more server → client bytes, then act. */
  cutAfter(bytes: number, action: CutAction): void;
  /** Writes bytes of the proxy's own into the server → client stream. */
  inject(bytes: Uint8Array): void;
}

export interface TcpProxy {
  port: number;
  readonly links: ProxyLink[];
  /** The next link to be accepted (or the one already accepted but not yet taken). */
  nextLink(): Promise<ProxyLink>;
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** A cut every new link starts with. */
  cut?: { afterBytes: number; action: CutAction };
}

export async function startTcpProxy(targetPort: number, options: ProxyOptions = {}): Promise<TcpProxy> {
  const links: ProxyLink[] = [];
  const sockets = new Set<net.Socket>();
  let taken = 0;
  let waiter: (() => void) | null = null;

  const proxy = net.createServer((client) => {
    const server = net.connect({ host: '127.0.0.1', port: targetPort });
    let budget: number | null = null;
    let action: CutAction = 'end';
    let cut = false;
    for (const socket of [client, server]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      // An error on one side ends the other, unless a cut already decided how the client's side ends.
      socket.on('error', () => {
        server.destroy();
        if (!cut) client.destroy();
      });
    }
    const act = () => {
      if (action === 'hold') return;
      // Keep draining what the client still sends: closing with unread bytes would turn a FIN into a RST.
      client.unpipe(server);
      client.resume();
      server.destroy();
      if (action === 'end') client.end();
      else client.resetAndDestroy();
    };
    const link: ProxyLink = {
      client,
      server,
      toClient: [],
      cutAfter(bytes, then) {
        budget = bytes;
        action = then;
        if (budget === 0 && !cut) {
          cut = true;
          act();
        }
      },
      inject(bytes) {
        client.write(bytes);
      },
    };
    if (options.cut) link.cutAfter(options.cut.afterBytes, options.cut.action);
    server.on('data', (chunk: Buffer) => {
      if (cut) return;
      const part = budget === null ? chunk : chunk.subarray(0, budget);
      if (budget !== null) budget -= part.length;
      if (budget === 0) cut = true;
      if (part.length > 0) link.toClient.push(Buffer.from(part));
      // The cut acts once its last bytes are handed to the kernel, so a reset cannot overtake them.
      if (part.length > 0) client.write(part, cut ? act : undefined);
      else if (cut) act();
    });
    server.on('end', () => {
      if (!cut) client.end();
    });
    client.pipe(server);
    links.push(link);
    waiter?.();
  });

  await new Promise<void>((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(0, '127.0.0.1', () => resolve());
  });
  const address = proxy.address() as net.AddressInfo;
  return {
    port: address.port,
    links,
    async nextLink() {
      while (links.length <= taken) await new Promise<void>((resolve) => (waiter = resolve));
      return links[taken++];
    },
    close: () =>
      new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
