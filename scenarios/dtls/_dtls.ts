// Helpers for the DTLS scenarios: connect a DTLSSocket to a per-run lab DTLS server, and an echo that
// retries like a CoAP client, since datagrams (and so echoes) may be lost on purpose.
import {
  type AppContext,
  DTLSSocket,
  expectCode,
  expectTrue,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_WOULD_BLOCK,
  SocketAddress,
} from 'tlssim';

/** Resolves the server, opens a DTLSSocket with the lab CA and hostname, and connects (handshake). */
export async function connectDtls(
  ctx: AppContext,
  kind: string,
  options: { handshakeTimeout?: [number, number]; clientCert?: boolean } = {},
): Promise<DTLSSocket> {
  const server = ctx.server(kind);
  const address = new SocketAddress();
  expectCode(
    `gethostbyname(${server.host})`,
    await ctx.net.gethostbyname(server.host, address),
    NSAPI_ERROR_OK,
  );
  address.set_port(server.port);
  const sock = new DTLSSocket();
  expectCode('open', sock.open(ctx.net), NSAPI_ERROR_OK);
  expectCode('set_root_ca_cert', sock.set_root_ca_cert(ctx.pki.caPem), NSAPI_ERROR_OK);
  sock.set_hostname(server.host);
  if (options.clientCert) {
    expectCode(
      'set_client_cert_key',
      sock.set_client_cert_key(ctx.pki.clientCertPem, ctx.pki.clientKeyPem),
      NSAPI_ERROR_OK,
    );
  }
  if (options.handshakeTimeout) sock.get_ssl_config().setHandshakeTimeout(...options.handshakeTimeout);
  ctx.step(`DTLS handshake with ${server.host}:${server.port}`);
  const started = performance.now();
  expectCode('connect', await sock.connect(address), NSAPI_ERROR_OK);
  ctx.metric('handshakeMs', Math.round(performance.now() - started));
  return sock;
}

/** Sends `data` and waits for its echo, resending after `waitMs` up to `attempts` times. */
export async function echoWithRetry(
  sock: DTLSSocket,
  data: Buffer,
  attempts: number,
  waitMs: number,
): Promise<number> {
  sock.set_timeout(waitMs);
  const back = Buffer.alloc(data.length + 16);
  for (let attempt = 1; attempt <= attempts; attempt++) {
    expectCode(`send(${data.length})`, await sock.send(data), data.length);
    for (;;) {
      const n = await sock.recv(back);
      if (n === NSAPI_ERROR_WOULD_BLOCK) break; // lost: send again
      expectTrue(`recv returned ${n}`, n > 0);
      // A late echo of an earlier attempt is the same bytes: fine either way.
      if (n === data.length && back.subarray(0, n).equals(data)) return attempt;
    }
  }
  throw new Error(`no echo of ${data.length} bytes after ${attempts} attempts`);
}
