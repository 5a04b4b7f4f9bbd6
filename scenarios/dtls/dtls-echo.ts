// DTLS echo of sizes 1–1200 through the modem's UDP socket: each record travels in one datagram.
import { defineScenario, expectCode, expectTrue, NSAPI_ERROR_OK } from 'tlssim';
import { connectDtls } from './_dtls.ts';

const SIZES = [1, 2, 5, 10, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200];

/** The text every echo is cut from, so a leak of any echo of 24 bytes or more shows on the UART. */
const PLAINTEXT = 'dtls-echo plaintext #';
const payload = (size: number) =>
  Buffer.from(PLAINTEXT.repeat(Math.ceil(size / PLAINTEXT.length))).subarray(0, size);

export default defineScenario({
  name: 'dtls-echo',
  description: 'DTLSSocket: handshake with cookies, then echo one record per datagram',
  modes: ['mbedtls'],
  servers: ['dtls-echo'],
  async app(ctx) {
    const sock = await connectDtls(ctx, 'dtls-echo');
    sock.set_timeout(5000);
    for (const size of SIZES) {
      ctx.step(`echo ${size} bytes`);
      const out = payload(size);
      expectCode(`send(${size})`, await sock.send(out), size);
      // One record per recv: the server's records carry at most 1024 bytes (its max fragment length),
      // so a larger echo arrives as two.
      const back = Buffer.alloc(size);
      for (let got = 0; got < size; ) {
        const n = await sock.recv(back.subarray(got));
        expectTrue(`recv after ${got} of ${size} bytes returned ${n}`, n > 0);
        got += n;
      }
      expectTrue(`echo of ${size} bytes matches`, back.equals(out));
    }
    ctx.step('close');
    expectCode('close', await sock.close(), NSAPI_ERROR_OK);
  },
  // Only ciphertext may cross: the first 24 bytes of every echo from 100 bytes up (what the app sends).
  uart: { mbedtls: { absent: [payload(24).toString()] } },
});
