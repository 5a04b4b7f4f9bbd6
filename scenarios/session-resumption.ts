// What a reconnect costs: connect, echo, close; then connect again offering the first session. In
// mbedtls mode the MCU saves the Mbed TLS session (get_session / set_session: the server's ticket, or its
// session ID); in offload mode the modem keeps it once AT+QSSLCFG="session" is on (tlssim's extension to
// the BG96 driver). The run's costs show both handshakes, full and resumed; air.jsonl has each connection.
import {
  defineScenario,
  expectCode,
  expectTrue,
  MbedtlsTLSSocket,
  NSAPI_ERROR_OK,
  OffloadTLSSocket,
  SocketAddress,
  SslSession,
  TLSSocket,
} from 'tlssim';
import { recvExactly } from './_support/greentea.ts';

const MESSAGE = Buffer.from('reconnect and resume');

export default defineScenario({
  name: 'session-resumption',
  description: 'two connections to one server; the second resumes the first one’s TLS session',
  servers: ['tls-echo'],
  async app({ net, server, pki, step, metric, mode }) {
    const echo = server('tls-echo');
    const address = new SocketAddress();
    expectCode('gethostbyname', await net.gethostbyname(echo.host, address), NSAPI_ERROR_OK);
    address.set_port(echo.port);
    const saved = mode === 'mbedtls' ? new SslSession() : null;

    for (const attempt of ['first', 'second'] as const) {
      step(`${attempt} connection: open and configure`);
      const sock = new TLSSocket();
      expectCode('open', sock.open(net), NSAPI_ERROR_OK);
      expectCode('set_root_ca_cert', await sock.set_root_ca_cert(pki.caPem), NSAPI_ERROR_OK);
      await sock.set_hostname(echo.host);
      if (sock instanceof OffloadTLSSocket)
        expectCode('set_session_resumption', await sock.set_session_resumption(true), NSAPI_ERROR_OK);
      if (sock instanceof MbedtlsTLSSocket && saved && attempt === 'second')
        expectCode('set_session', sock.set_session(saved), NSAPI_ERROR_OK);

      step(`${attempt} connection: handshake`);
      const started = performance.now();
      expectCode('connect', await sock.connect(address), NSAPI_ERROR_OK);
      metric(`${attempt}ConnectMs`, Math.round(performance.now() - started));
      if (sock instanceof MbedtlsTLSSocket) {
        metric(`${attempt}Resumed`, sock.is_session_resumed() ? 1 : 0);
        if (saved && attempt === 'first') expectCode('get_session', sock.get_session(saved), NSAPI_ERROR_OK);
        if (attempt === 'second') expectTrue('the second handshake resumed', sock.is_session_resumed());
      }

      step(`${attempt} connection: echo and close`);
      expectCode('send', await sock.send(MESSAGE), MESSAGE.length);
      const back = await recvExactly(sock, MESSAGE.length, 'the echo');
      expectTrue('echo matches', back.equals(MESSAGE));
      expectCode('close', await sock.close(), NSAPI_ERROR_OK);
      await sock.destroy();
    }
    saved?.free();
  },
});
