// Leaks and limits: connect / echo / close cycles on one interface, with what both processes hold
// sampled at the start and the end (RSS, open file descriptors) and the modem's socket table read over
// AT (AT+QISTATE? and AT+QSSLSTATE?). `tlssim soak --cycles 1000` runs a long one; the suite runs a
// few cycles (TLSSIM_SOAK_CYCLES, default 5).
import { defineScenario, expectCode, expectTrue, NSAPI_ERROR_OK, SocketAddress, TLSSocket } from 'tlssim';
import { recvExactly } from './_support/greentea.ts';

const CYCLES = Number(process.env.TLSSIM_SOAK_CYCLES ?? 5);
const MESSAGE = Buffer.from('soak: one more cycle');

export default defineScenario({
  name: 'soak',
  description: 'TLS connect / echo / close cycles; RSS, fds and the modem socket table at start and end',
  servers: ['tls-echo'],
  // a cycle takes well under a second at 921 600 baud; the bound is for a stuck run, not a slow one
  timeoutMs: 60_000 + CYCLES * 2_000,
  async app({ net, server, pki, step, metric }) {
    const echo = server('tls-echo');
    const address = new SocketAddress();
    expectCode('gethostbyname', await net.gethostbyname(echo.host, address), NSAPI_ERROR_OK);
    address.set_port(echo.port);

    /** Open modem sockets, as the modem reports them (QI sockets and SSL clients share the ids 0–11). */
    const modemSockets = async () => {
      let count = 0;
      for (const command of ['+QISTATE', '+QSSLSTATE']) {
        const answer = await net.at.at_cmd_lines(command, '?');
        expectTrue(`AT${command}? answered`, answer.ok);
        if (answer.ok) count += answer.value.length;
      }
      return count;
    };
    const sample = async (label: 'start' | 'end') => {
      step(`sample: ${label}`);
      metric(`${label}.modemSockets`, await modemSockets());
    };

    await sample('start');
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      step(`cycle ${cycle} of ${CYCLES}`);
      const sock = new TLSSocket();
      expectCode('open', sock.open(net), NSAPI_ERROR_OK);
      expectCode('set_root_ca_cert', await sock.set_root_ca_cert(pki.caPem), NSAPI_ERROR_OK);
      await sock.set_hostname(echo.host);
      expectCode('connect', await sock.connect(address), NSAPI_ERROR_OK);
      expectCode('send', await sock.send(MESSAGE), MESSAGE.length);
      const back = await recvExactly(sock, MESSAGE.length, 'the echo');
      expectTrue('echo matches', back.equals(MESSAGE));
      expectCode('close', await sock.close(), NSAPI_ERROR_OK);
      await sock.destroy();
    }
    metric('cycles', CYCLES);
    await sample('end');
  },
});
