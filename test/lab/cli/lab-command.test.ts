// `tlssim lab --wire M,D --trace T`: the wire of the three-role set-up (docker-compose.yml, README
// "Containers"): an MCU end and a modem end dial in, bytes cross both ways and land in the trace, and
// the lab stops when the MCU hangs up.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, connect as dial, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { directionBytes, readTrace } from '../../../shared/trace/trace-reader.ts';

const CLI = fileURLToPath(new URL('../../../bin/tlssim.mjs', import.meta.url));

/** A port that was free a moment ago (the CLI takes fixed ports, as docker-compose.yml gives it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/** Everything the child prints, gathered by one listener from the start (no line can slip past). */
function collectOutput(child: ChildProcess): { text: string; exited: boolean } {
  const out = { text: '', exited: false };
  child.stdout?.on('data', (d: Buffer) => {
    out.text += d.toString();
  });
  child.once('exit', () => {
    out.exited = true;
  });
  return out;
}

/** Resolves once `text` has been printed, whether before this call or after; fails if the lab exits first. */
async function waitForOutput(out: { text: string; exited: boolean }, text: string): Promise<void> {
  await until(() => out.text.includes(text) || out.exited, `"${text}"`, 20_000);
  if (!out.text.includes(text)) throw new Error(`tlssim lab exited before "${text}": ${out.text}`);
}

async function dialled(port: number): Promise<{ socket: Socket; received: Buffer[] }> {
  const socket = dial(port, '127.0.0.1');
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const received: Buffer[] = [];
  socket.on('data', (d: Buffer) => received.push(d));
  return { socket, received };
}

async function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('tlssim lab --wire', function () {
  this.timeout(30_000);

  it('joins the two ends, paces and traces both directions, and stops when the MCU hangs up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlssim-lab-wire-'));
    const tracePath = join(dir, 'uart.jsonl');
    const [mcuPort, modemPort] = [await freePort(), await freePort()];
    const child = spawn(
      process.execPath,
      [CLI, 'lab', '--wire', `${mcuPort},${modemPort}`, '--trace', tracePath, '--baud', '921600'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const out = collectOutput(child);
    try {
      await waitForOutput(out, 'lab running');
      expect(out.text).to.contain(`MCU at tcp://127.0.0.1:${mcuPort}, modem at tcp://127.0.0.1:${modemPort}`);
      const mcu = await dialled(mcuPort);
      const modem = await dialled(modemPort);
      await waitForOutput(out, 'both ends connected');
      const command = Buffer.from('AT+QIOPEN=1,0,"TCP","127.0.0.1",7,0,0\r');
      const answer = Buffer.from('\r\nOK\r\n\r\n+QIOPEN: 0,0\r\n');
      mcu.socket.write(command);
      modem.socket.write(answer);
      await until(() => Buffer.concat(modem.received).length >= command.length, 'the command at the modem');
      await until(() => Buffer.concat(mcu.received).length >= answer.length, 'the answer at the MCU');
      expect(Buffer.concat(modem.received)).to.deep.equal(command);
      expect(Buffer.concat(mcu.received)).to.deep.equal(answer);
      mcu.socket.end();
      expect(await exited).to.equal(0);
      expect(out.text).to.contain(`${tracePath} is complete`);
      modem.socket.destroy();
      const trace = readTrace(tracePath);
      expect(trace.header).to.include({ baud: 921600, frame: '8N1' });
      expect(directionBytes(trace, 'tx')).to.deep.equal(command);
      expect(directionBytes(trace, 'rx')).to.deep.equal(answer);
      expect(readFileSync(tracePath, 'utf8').split('\n')[0]).to.contain('tlssim-uart-trace');
    } finally {
      child.kill();
    }
  });

  it('refuses --wire without --trace (exit 2)', () => {
    const run = spawnSync(process.execPath, [CLI, 'lab', '--wire', '7001,7002'], { encoding: 'utf8' });
    expect(run.status).to.equal(2);
    expect(run.stderr).to.contain('--wire takes MCU_PORT,MODEM_PORT and needs --trace FILE');
  });
});
