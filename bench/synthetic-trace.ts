// A synthetic uart.jsonl of any size, shaped like a real mbedtls-mode run (docs/architecture.md, "The
// UART trace"): an AT start-up, then connection after connection of AT+QIOPEN, QISEND data phases of
// TLS records cut into UART-sized chunks, +QIURC "recv" and QIRD reads, and QICLOSE. The chunk times
// advance as a 921 600 baud line would carry them. Used by the trace-reader test (small) and bench.
import { closeSync, openSync, writeSync } from 'node:fs';

const BAUD = 921_600;
/** ms per byte at 8N1 */
const BYTE_MS = 10_000 / BAUD;
/** the paced wire hands the trace chunks of a few to 64 bytes (one timer tick's worth) */
const chunkSize = (n: number) => 8 + ((n * 13) % 57);

/** A TLS application-data record of `length` payload bytes (content type 23, TLS 1.2). */
function tlsRecord(length: number, seed: number): Buffer {
  const record = Buffer.alloc(5 + length);
  record.writeUInt8(23, 0);
  record.writeUInt16BE(0x0303, 1);
  record.writeUInt16BE(length, 3);
  for (let i = 5; i < record.length; i++) record[i] = (seed * 31 + i * 7) & 0xff;
  return record;
}

class Writer {
  t = 0;
  written = 0;
  private lines = 0;
  private pending: string[] = [];
  private pendingBytes = 0;

  constructor(private readonly fd: number) {}

  send(dir: 'tx' | 'rx', bytes: Buffer): void {
    for (let at = 0, size = 0; at < bytes.length; at += size) {
      size = chunkSize(this.lines++);
      const piece = bytes.subarray(at, at + size);
      this.t = Math.round((this.t + piece.length * BYTE_MS) * 1000) / 1000;
      this.line(`{"t":${this.t},"dir":"${dir}","data":"${piece.toString('base64')}"}\n`);
    }
    // the other side answers a little later
    this.t = Math.round((this.t + 0.4) * 1000) / 1000;
  }

  line(text: string): void {
    this.pending.push(text);
    this.pendingBytes += text.length;
    if (this.pendingBytes > 1 << 20) this.flush();
  }

  flush(): void {
    const text = this.pending.join('');
    writeSync(this.fd, text);
    this.written += Buffer.byteLength(text);
    this.pending = [];
    this.pendingBytes = 0;
  }
}

const at = (text: string) => Buffer.from(text, 'latin1');

/**
 * Writes about `targetBytes` of trace to `file`. With `secret`, each connection's first send is the
 * secret in clear (a plaintext socket), so UART checks have something to find late in the file.
 */
export function writeSyntheticTrace(
  file: string,
  targetBytes: number,
  options: { secret?: string } = {},
): number {
  const fd = openSync(file, 'w');
  const w = new Writer(fd);
  try {
    const header = {
      format: 'tlssim-uart-trace',
      version: 1,
      baud: BAUD,
      frame: '8N1',
      mode: 'mbedtls',
      scenario: 'synthetic',
      started: new Date(0).toISOString(),
      startedEpochMs: 0,
    };
    w.line(`${JSON.stringify(header)}\n`);
    for (const [cmd, answer] of [
      ['AT\r', '\r\nOK\r\n'],
      ['ATE0\r', '\r\nOK\r\n'],
      ['AT+CMEE=1\r', '\r\nOK\r\n'],
      ['AT+QIACT=1\r', '\r\nOK\r\n'],
    ]) {
      w.send('tx', at(cmd));
      w.send('rx', at(answer));
    }
    for (let n = 0; w.written < targetBytes; n++) {
      w.send('tx', at(`AT+QIOPEN=1,0,"TCP","127.0.0.1",4433,0,0\r`));
      w.send('rx', at('\r\nOK\r\n\r\n+QIOPEN: 0,0\r\n'));
      if (options.secret && n % 50 === 49) {
        const clear = at(options.secret);
        w.send('tx', at(`AT+QISEND=0,${clear.length}\r`));
        w.send('rx', at('\r\n> '));
        w.send('tx', clear);
        w.send('rx', at('\r\nSEND OK\r\n'));
      }
      for (let i = 0; i < 8; i++) {
        const up = tlsRecord(1200, n + i);
        w.send('tx', at(`AT+QISEND=0,${up.length}\r`));
        w.send('rx', at('\r\n> '));
        w.send('tx', up);
        w.send('rx', at('\r\nSEND OK\r\n\r\n+QIURC: "recv",0\r\n'));
        const down = tlsRecord(1000, n * 3 + i);
        w.send('tx', at(`AT+QIRD=0,1500\r`));
        w.send('rx', Buffer.concat([at(`\r\n+QIRD: ${down.length}\r\n`), down, at('\r\n\r\nOK\r\n')]));
      }
      w.send('tx', at('AT+QICLOSE=0\r'));
      w.send('rx', at('\r\nOK\r\n'));
      w.flush();
    }
    w.flush();
  } finally {
    closeSync(fd);
  }
  return w.written;
}
