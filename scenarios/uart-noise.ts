// A noisy UART: the wire inverts data bits at a seeded bit error rate each way (uartFaults), and the app
// echoes known payloads through the TLS echo server, checking every byte that comes back. In mbedtls
// mode TLS runs on the MCU, so a flipped bit anywhere in a record fails its MAC (at the server for tx,
// in Mbed TLS for rx): the operation fails and no corrupted byte reaches the app. In offload mode the
// UART carries plaintext after the modem's TLS, so a flipped bit there is delivered as it is; that is the
// finding this scenario measures (metric appBytesCorrupted), not a failure. Either way a corrupted AT
// command or response must cost at most the operation (NSAPI_ERROR_DEVICE_ERROR after the AT timeout,
// as in Mbed OS's ATHandler), after which the app reconnects and carries on, a bounded number of times.
import {
  type AppContext,
  defineScenario,
  expectTrue,
  NSAPI_ERROR_OK,
  nsapiErrorName,
  SocketAddress,
  TLSSocket,
} from 'tlssim';

/** Payloads echoed per run, and their size: ~20 KB each way, a few seconds at 921600 baud. */
const ROUNDS = 60;
const PAYLOAD_BYTES = 256;
/** The bound on reconnects: each failed operation costs one connection. */
const MAX_CONNECTIONS = 60;
/** A lost +QIURC/+QSSLURC "recv" (a corrupted URC) would leave a blocking recv waiting forever. */
const SOCKET_TIMEOUT_MS = 3000;

/** Round r's payload: printable and different each round, so a shifted or stale echo shows too. */
function payload(round: number): Buffer {
  return Buffer.from(Array.from({ length: PAYLOAD_BYTES }, (_, i) => 0x21 + ((round * 31 + i * 7) % 94)));
}

function differingBytes(sent: Buffer, got: Buffer): number {
  let n = 0;
  for (let i = 0; i < sent.length; i++) if (got[i] !== sent[i]) n++;
  return n;
}

interface Tally {
  rounds: number;
  checked: number;
  corrupted: number;
  connections: number;
  errors: Map<string, number>;
}

export default defineScenario({
  name: 'uart-noise',
  description:
    'echo known payloads over TLS through a UART with bit errors; count the corrupted bytes that reach the app',
  servers: ['tls-echo'],
  timeoutMs: 120_000,
  // tx carries the app's payload out (and in mbedtls mode only ~0.5 KB of handshake), so its rate is the
  // high one; rx carries the server's certificate chain in mbedtls mode, so a lower rate there still
  // lets most handshakes through. A few dozen flips per run at these rates.
  uartFaults: { seed: 7, tx: { bitErrorRate: 3e-5 }, rx: { bitErrorRate: 1e-5 } },
  async app(ctx) {
    const tally: Tally = { rounds: 0, checked: 0, corrupted: 0, connections: 0, errors: new Map() };
    const failed = (what: string, code: number) => {
      const key = `${what} ${code === 0 ? '(peer closed)' : nsapiErrorName(code)}`;
      tally.errors.set(key, (tally.errors.get(key) ?? 0) + 1);
      ctx.log(`${key} (round ${tally.rounds})`);
    };
    const echo = ctx.server('tls-echo');
    ctx.step('resolve the server');
    const address = new SocketAddress();
    let code = NSAPI_ERROR_OK;
    for (let i = 0; i < 5; i++) {
      code = await ctx.net.gethostbyname(echo.host, address);
      if (code === NSAPI_ERROR_OK) break;
      failed('gethostbyname', code);
    }
    expectTrue(`gethostbyname(${echo.host}) within 5 tries`, code === NSAPI_ERROR_OK);
    address.set_port(echo.port);

    ctx.step('echo payloads, reconnecting after each failure');
    while (tally.rounds < ROUNDS && tally.connections < MAX_CONNECTIONS) {
      tally.connections++;
      await oneConnection(ctx, address, tally, failed);
    }
    ctx.metric('appBytesCorrupted', tally.corrupted);
    ctx.metric('appBytesChecked', tally.checked);
    ctx.metric('roundsEchoed', tally.rounds);
    ctx.metric('connections', tally.connections);
    ctx.metric(
      'failedOperations',
      [...tally.errors.values()].reduce((a, b) => a + b, 0),
    );
    ctx.log(`errors: ${JSON.stringify(Object.fromEntries(tally.errors))}`);

    ctx.step('check');
    expectTrue(
      `${tally.rounds} of ${ROUNDS} payloads echoed within ${MAX_CONNECTIONS} connections`,
      tally.rounds === ROUNDS,
    );
    if (ctx.mode === 'mbedtls') {
      // The record MAC stands between the UART and the app: nothing corrupted may get through.
      expectTrue(
        `${tally.corrupted} corrupted bytes reached the app through Mbed TLS`,
        tally.corrupted === 0,
      );
    }
  },
});

/** Connects and echoes rounds until done or an operation fails; always closes and frees the socket. */
async function oneConnection(
  ctx: AppContext,
  address: SocketAddress,
  tally: Tally,
  failed: (what: string, code: number) => void,
): Promise<void> {
  const sock = new TLSSocket();
  try {
    let code = sock.open(ctx.net);
    if (code !== NSAPI_ERROR_OK) return failed('open', code);
    code = await sock.set_root_ca_cert(ctx.pki.caPem);
    if (code !== NSAPI_ERROR_OK) return failed('set_root_ca_cert', code);
    await sock.set_hostname(ctx.server('tls-echo').host);
    sock.set_timeout(SOCKET_TIMEOUT_MS);
    code = await sock.connect(address);
    if (code !== NSAPI_ERROR_OK) return failed('connect', code);
    while (tally.rounds < ROUNDS) {
      const out = payload(tally.rounds);
      const sent = await sock.send(out);
      if (sent !== out.length) return failed('send', sent);
      const back = Buffer.alloc(out.length);
      for (let got = 0; got < back.length; ) {
        const n = await sock.recv(back.subarray(got));
        if (n <= 0) return failed('recv', n);
        got += n;
      }
      tally.corrupted += differingBytes(out, back);
      tally.checked += out.length;
      tally.rounds++;
    }
  } finally {
    await sock.close();
    await sock.destroy();
  }
}
