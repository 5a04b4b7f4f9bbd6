// Helpers shared by the Greentea TLSSOCKET scenarios (mbed-os connectivity/netsocket/tests/TESTS/netsocket/tls/): the same steps as
// tls_tests.h, on the lab's servers instead of echo.mbedcloudtesting.com.
import {
  type AppContext,
  expectCode,
  expectTrue,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_WOULD_BLOCK,
  SocketAddress,
  type TLSSocket,
} from 'tlssim';

/** The 22 sizes of TLSSOCKET_ECHOTEST. */
export const ECHO_SIZES = [
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200,
];
export const SIGIO_TIMEOUT_MS = 20_000;

/** fill_tx_buffer_ascii: characters '0'..'Z', from a seeded generator so runs replay. */
export function fillTxBufferAscii(size: number, seed = Number(process.env.TLSSIM_SEED) || 1): Buffer {
  let state = (seed * 2654435761 + size) >>> 0;
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    out[i] = 0x30 + ((state >>> 16) % 43);
  }
  return out;
}

/** Resolves a lab server through the modem (AT+QIDNSGIP) and sets its port. */
export async function resolveServer(ctx: AppContext, kind: string): Promise<SocketAddress> {
  const server = ctx.server(kind);
  const address = new SocketAddress();
  expectCode(
    `gethostbyname(${server.host})`,
    await ctx.net.gethostbyname(server.host, address),
    NSAPI_ERROR_OK,
  );
  address.set_port(server.port);
  return address;
}

/** tlssocket_connect_to_srv: resolve, open, set the CA (and hostname), connect; the first non-OK code. */
export async function connectToServer(ctx: AppContext, sock: TLSSocket, kind: string): Promise<number> {
  const address = await resolveServer(ctx, kind);
  let ret = sock.open(ctx.net);
  if (ret !== NSAPI_ERROR_OK) return ret;
  ret = await sock.set_root_ca_cert(ctx.pki.caPem);
  if (ret !== NSAPI_ERROR_OK) return ret;
  const hostnameResult = await sock.set_hostname(ctx.server(kind).host);
  if (typeof hostnameResult === 'number' && hostnameResult !== NSAPI_ERROR_OK) return hostnameResult;
  return sock.connect(address);
}

/** Receives exactly `size` bytes (blocking socket), failing on anything but progress. */
export async function recvExactly(sock: TLSSocket, size: number, what: string): Promise<Buffer> {
  const back = Buffer.alloc(size);
  let got = 0;
  while (got < size) {
    const n = await sock.recv(back.subarray(got));
    expectTrue(`${what}: recv after ${got} of ${size} bytes returned ${n}`, n > 0 && n <= size - got);
    got += n;
  }
  return back;
}

/**
 * A sigio-driven wait, as the Greentea tests' event flags: a sigio wakes every waiter (sender and
 * receiver may wait at once); one that came while nobody waited is remembered for the next wait.
 */
export class SigioWaiter {
  private waiters: Array<() => void> = [];
  private signalled = false;

  readonly callback = (): void => {
    const waiters = this.waiters;
    this.waiters = [];
    if (waiters.length === 0) this.signalled = true;
    for (const wake of waiters) wake();
  };

  async wait(timeoutMs: number): Promise<boolean> {
    if (this.signalled) {
      this.signalled = false;
      return true;
    }
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve(false);
      }, timeoutMs);
      this.waiters.push(wake);
    });
  }
}

/** Sends all of `data` on a non-blocking socket, waiting for sigio after each WOULD_BLOCK. */
export async function sendAllNonBlocking(
  sock: TLSSocket,
  data: Buffer,
  sigio: SigioWaiter,
  what: string,
): Promise<void> {
  let sent = 0;
  while (sent < data.length) {
    const n = await sock.send(data.subarray(sent));
    if (n === NSAPI_ERROR_WOULD_BLOCK) {
      expectTrue(
        `${what}: no sigio within ${SIGIO_TIMEOUT_MS} ms after WOULD_BLOCK`,
        await sigio.wait(SIGIO_TIMEOUT_MS),
      );
      continue;
    }
    expectTrue(`${what}: send returned ${n}`, n > 0);
    sent += n;
  }
}

/** Receives exactly `size` bytes on a non-blocking socket, waiting for sigio after each WOULD_BLOCK. */
export async function recvAllNonBlocking(
  sock: TLSSocket,
  size: number,
  sigio: SigioWaiter,
  what: string,
): Promise<Buffer> {
  const back = Buffer.alloc(size);
  let got = 0;
  while (got < size) {
    const n = await sock.recv(back.subarray(got));
    if (n === NSAPI_ERROR_WOULD_BLOCK) {
      expectTrue(
        `${what}: no sigio within ${SIGIO_TIMEOUT_MS} ms after WOULD_BLOCK`,
        await sigio.wait(SIGIO_TIMEOUT_MS),
      );
      continue;
    }
    expectTrue(`${what}: recv returned ${n}`, n > 0);
    got += n;
  }
  return back;
}
