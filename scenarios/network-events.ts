// The cellular link as it really is: while an app holds a TLS connection to the echo server, the
// network, the server, the modem and the MCU each break it in turn (docs/reliability.md, "Network and
// modem events"). After each event the app notices, reconnects the interface if it went down, opens
// a new TLSSocket resuming the TLS session (mbedtls: get_session/set_session; offload: the modem keeps
// it with AT+QSSLCFG="session"), and echoes again. Metrics per event: what recv and then send on the
// old socket returned (<event>SeenCode, <event>SendCode), the time from the event to the next echo
// (<event>RecoverMs) and, in mbedtls mode, whether the new handshake resumed (<event>Resumed).
import {
  type CellularInterface,
  defineScenario,
  expectCode,
  expectTrue,
  MbedtlsTLSSocket,
  type Mode,
  type NetworkEventName,
  NSAPI_ERROR_DEVICE_ERROR,
  NSAPI_ERROR_NO_CONNECTION,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_WOULD_BLOCK,
  NSAPI_STATUS_DISCONNECTED,
  NSAPI_STATUS_GLOBAL_UP,
  OffloadTLSSocket,
  SocketAddress,
  SslSession,
  TLSSocket,
} from 'tlssim';

const MESSAGE = Buffer.from('are you still there?');
/** How long the app waits for an echo before it decides the path is dead. */
const LIVENESS_TIMEOUT_MS = 600;
/** How long the network keeps the modem detached. */
const DETACHED_MS = 300;

/** The events an app suffers ('reattach' is the network's own recovery from a detach). */
type Trouble = Exclude<NetworkEventName, 'reattach'> | 'mcu-restart';
const TROUBLES: readonly Trouble[] = [
  'server-reset',
  'server-silent-drop',
  'pdp-deactivate',
  'detach',
  'modem-reboot',
  'mcu-restart',
];

/**
 * What recv (then send) on the old socket returns, per mode: the codes the app must handle. mbedtls:
 * TLSSocketWrapper turns a transport error into NSAPI_ERROR_DEVICE_ERROR; offload: the stack's own
 * code. A reset peer is end of stream (0); a dead path only times out (WOULD_BLOCK), and takes sends.
 */
const EXPECTED: Record<Mode, Record<Exclude<Trouble, 'mcu-restart'>, [seen: number, sent: number]>> = {
  mbedtls: {
    'server-reset': [0, NSAPI_ERROR_DEVICE_ERROR],
    'server-silent-drop': [NSAPI_ERROR_WOULD_BLOCK, MESSAGE.length],
    'pdp-deactivate': [NSAPI_ERROR_DEVICE_ERROR, NSAPI_ERROR_DEVICE_ERROR],
    detach: [NSAPI_ERROR_DEVICE_ERROR, NSAPI_ERROR_DEVICE_ERROR],
    'modem-reboot': [NSAPI_ERROR_DEVICE_ERROR, NSAPI_ERROR_DEVICE_ERROR],
  },
  offload: {
    'server-reset': [0, NSAPI_ERROR_NO_CONNECTION],
    'server-silent-drop': [NSAPI_ERROR_WOULD_BLOCK, MESSAGE.length],
    'pdp-deactivate': [NSAPI_ERROR_NO_CONNECTION, NSAPI_ERROR_NO_CONNECTION],
    detach: [NSAPI_ERROR_NO_CONNECTION, NSAPI_ERROR_NO_CONNECTION],
    'modem-reboot': [NSAPI_ERROR_NO_CONNECTION, NSAPI_ERROR_NO_CONNECTION],
  },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A camelCase metric prefix: server-silent-drop → serverSilentDrop. */
const metricName = (trouble: Trouble) => trouble.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

export default defineScenario({
  name: 'network-events',
  description:
    'a TLS app survives a server reset, a dead path, PDP loss, detach, a modem reboot and an MCU restart',
  servers: ['tls-echo'],
  timeoutMs: 40_000,
  async app(ctx) {
    const { server, pki, step, metric, mode, network, log } = ctx;
    const echo = server('tls-echo');
    const saved = mode === 'mbedtls' ? new SslSession() : null;
    let net: CellularInterface = ctx.net;

    /** Connect (resuming when a session was saved), then one echo. */
    async function openEchoed(label: string): Promise<TLSSocket> {
      const address = new SocketAddress();
      expectCode('gethostbyname', await net.gethostbyname(echo.host, address), NSAPI_ERROR_OK);
      address.set_port(echo.port);
      const sock = new TLSSocket();
      expectCode('open', sock.open(net), NSAPI_ERROR_OK);
      // Offloaded credentials live in the modem's SSL context: set them right before each connect.
      expectCode('set_root_ca_cert', await sock.set_root_ca_cert(pki.caPem), NSAPI_ERROR_OK);
      await sock.set_hostname(echo.host);
      if (sock instanceof OffloadTLSSocket)
        expectCode('set_session_resumption', await sock.set_session_resumption(true), NSAPI_ERROR_OK);
      if (sock instanceof MbedtlsTLSSocket && saved && !saved.isEmpty())
        expectCode('set_session', sock.set_session(saved), NSAPI_ERROR_OK);
      expectCode(`${label}: connect`, await sock.connect(address), NSAPI_ERROR_OK);
      if (sock instanceof MbedtlsTLSSocket && saved) {
        metric(`${label}Resumed`, sock.is_session_resumed() ? 1 : 0);
        expectCode('get_session', sock.get_session(saved), NSAPI_ERROR_OK);
      }
      sock.set_timeout(LIVENESS_TIMEOUT_MS);
      expectCode(`${label}: echo`, await echoOnce(sock), MESSAGE.length);
      return sock;
    }

    /** Sends the message and reads it back: its length, or the first code that was not data. */
    async function echoOnce(sock: TLSSocket): Promise<number> {
      const sent = await sock.send(MESSAGE);
      if (sent !== MESSAGE.length) return sent;
      const back = Buffer.alloc(MESSAGE.length);
      for (let got = 0; got < back.length; ) {
        const n = await sock.recv(back.subarray(got));
        if (n <= 0) return n;
        got += n;
      }
      expectTrue('echo matches', back.equals(MESSAGE));
      return back.length;
    }

    async function statusBecomes(status: number, what: string): Promise<void> {
      for (let waited = 0; net.get_connection_status() !== status; waited += 20) {
        expectTrue(`${what} within 5 s`, waited < 5000);
        await sleep(20);
      }
    }

    /**
     * The trouble, then what the old socket gives: the app was waiting in recv for the server (bounded
     * by its liveness timeout), and then tries to send. The codes are the metrics <event>SeenCode and
     * <event>SendCode.
     */
    async function suffer(trouble: Trouble, sock: TLSSocket): Promise<{ seen: number; sent: number }> {
      if (trouble === 'mcu-restart') {
        // The old socket is RAM that no longer exists: never closed, left open in the modem.
        net = await ctx.restartDevice();
        return { seen: NSAPI_ERROR_OK, sent: NSAPI_ERROR_OK };
      }
      await network.event(trouble);
      if (trouble === 'pdp-deactivate' || trouble === 'detach' || trouble === 'modem-reboot')
        await statusBecomes(NSAPI_STATUS_DISCONNECTED, `${trouble}: the interface reports the loss`);
      // A dead path says nothing: the app only learns from an echo that never comes back.
      const seen =
        trouble === 'server-silent-drop' ? await echoOnce(sock) : await sock.recv(Buffer.alloc(64));
      const sent = await sock.send(MESSAGE);
      const [wantSeen, wantSent] = EXPECTED[mode][trouble];
      expectCode(`${trouble}: recv on the old socket`, seen, wantSeen);
      expectCode(`${trouble}: send on the old socket`, sent, wantSent);
      if (trouble === 'detach') setTimeout(() => void network.event('reattach'), DETACHED_MS);
      return { seen, sent };
    }

    step('first connection');
    let sock = await openEchoed('first');

    for (const trouble of TROUBLES) {
      const name = metricName(trouble);
      step(`${trouble}: the event`);
      const started = performance.now();
      const { seen, sent } = await suffer(trouble, sock);
      metric(`${name}SeenCode`, seen);
      metric(`${name}SendCode`, sent);
      log(`${trouble}: on the old socket recv returned ${seen}, send ${sent}`);

      step(`${trouble}: recover`);
      if (trouble !== 'mcu-restart') log(`${trouble}: close returned ${await sock.close()}`);
      await sock.destroy();
      if (net.get_connection_status() !== NSAPI_STATUS_GLOBAL_UP)
        expectCode(`${trouble}: net.connect()`, await net.connect(), NSAPI_ERROR_OK);
      sock = await openEchoed(name);
      metric(`${name}RecoverMs`, Math.round(performance.now() - started));
    }

    step('last close');
    expectCode('close', await sock.close(), NSAPI_ERROR_OK);
    await sock.destroy();
    saved?.free();
  },
});
