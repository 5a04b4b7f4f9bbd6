// 64 KiB through a TLSSocket and back, in 1 KiB sends: the line time at 115200 baud is 5.7 s each way,
// which a run on simulated time covers without waiting it out on the host (docs/simulated-time.md).
// Each send stays well under what one AT+QISEND burst may take within the driver's 1 s AT timeout.
import { defineScenario, expectCode, expectTrue, NSAPI_ERROR_OK, TLSSocket } from 'tlssim';
import { connectToServer, recvExactly } from './_support/greentea.ts';

const TOTAL = 64 * 1024;
const PIECE = 1024;
const LINE = 64;

/** Line n of the payload: "bulk line 00042" padded to 64 bytes, so a leak names its place. */
function payloadLine(n: number): string {
  return `${`bulk line ${String(n).padStart(5, '0')}`.padEnd(LINE - 1, '.')}\n`;
}

const PAYLOAD = Buffer.from(Array.from({ length: TOTAL / LINE }, (_, n) => payloadLine(n)).join(''));

export default defineScenario({
  name: 'bulk-transfer',
  description: 'TLSSocket: 64 KiB to the TLS echo server in 1 KiB sends, each echo read back whole',
  servers: ['tls-echo'],
  timeoutMs: 120_000,
  async app(ctx) {
    const { step, metric } = ctx;
    const sock = new TLSSocket();
    step('connect (TLS handshake)');
    expectCode('connect', await connectToServer(ctx, sock, 'tls-echo'), NSAPI_ERROR_OK);
    step('send 64 KiB in 1 KiB pieces, reading each echo');
    const started = performance.now();
    for (let offset = 0; offset < TOTAL; offset += PIECE) {
      const piece = PAYLOAD.subarray(offset, offset + PIECE);
      expectCode(`send at ${offset}`, await sock.send(piece), PIECE);
      const back = await recvExactly(sock, PIECE, `echo at ${offset}`);
      expectTrue(`echo at ${offset} matches what was sent`, back.equals(piece));
    }
    metric('transferMs', Math.round(performance.now() - started));
    metric('payloadBytes', TOTAL);
    step('close');
    expectCode('close', await sock.close(), NSAPI_ERROR_OK);
  },
  uart: {
    mbedtls: { absent: [payloadLine(512)] },
    offload: { present: [payloadLine(512), payloadLine(1023)] },
  },
});
