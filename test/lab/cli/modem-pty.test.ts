// `tlssim modem --uart pty`: a person (here: the test) types AT commands into the printed pty path.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, openSync, readSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const CLI = fileURLToPath(new URL('../../../bin/tlssim.mjs', import.meta.url));

describe('tlssim modem --uart pty', function () {
  this.timeout(20_000);

  it('prints a pty path that answers AT commands byte-exactly', async function () {
    if (spawnSync('socat', ['-V']).error) this.skip();
    const child = spawn(process.execPath, [CLI, 'modem', '--uart', 'pty'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const path = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /UART: (\S+)/.exec(out);
          if (m && out.includes('modem ready')) resolve(m[1]);
        });
        child.once('exit', (code) => reject(new Error(`modem exited (${code}): ${out}`)));
      });
      // Non-blocking, so a silent modem fails the test by its deadline instead of hanging a sync read.
      const fd = openSync(path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
      try {
        writeSync(fd, 'ATE0\rATI\r');
        const deadline = Date.now() + 5000;
        let text = '';
        const buffer = Buffer.alloc(512);
        while (!text.includes('Revision') || !text.endsWith('OK\r\n')) {
          expect(Date.now(), `answer so far: ${JSON.stringify(text)}`).to.be.below(deadline);
          try {
            const n = readSync(fd, buffer);
            text += buffer.toString('latin1', 0, n);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
            await new Promise((r) => setTimeout(r, 20));
          }
        }
        expect(text).to.include('ATE0\r\r\nOK\r\n'); // echo is on until ATE0 takes effect
        expect(text).to.match(/\r\nQuectel\r\nBG96\r\nRevision: [^\r]+\r\n\r\nOK\r\n$/);
      } finally {
        closeSync(fd);
      }
    } finally {
      child.kill('SIGINT');
    }
  });
});
