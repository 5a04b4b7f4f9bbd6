// Writes synthetic uart.jsonl traces with the real TraceWriter: a BG96 conversation scripted command
// by command, every byte as the MCU driver and the modem would put it on the wire, optionally cut
// into small chunks as the paced wire delivers them.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceDirection } from '../../../../shared/trace/trace-format.ts';
import { readTrace, type Trace } from '../../../../shared/trace/trace-reader.ts';
import { TraceWriter } from '../../../../shared/trace/trace-writer.ts';

type Bytes = string | Uint8Array;
const bytes = (b: Bytes) => (typeof b === 'string' ? Buffer.from(b, 'latin1') : Buffer.from(b));

export class TraceScript {
  readonly file: string;
  private readonly writer: TraceWriter;

  constructor(
    header: { mode?: string; scenario?: string } = {},
    /** Largest chunk written at once; 0 writes each piece whole. */
    private readonly chunk = 0,
  ) {
    this.file = join(mkdtempSync(join(tmpdir(), 'tlssim-trace-test-')), 'uart.jsonl');
    this.writer = new TraceWriter(this.file, { baud: 115200, frame: '8N1', ...header });
  }

  write(dir: TraceDirection, data: Bytes): this {
    const all = bytes(data);
    const step = this.chunk > 0 ? this.chunk : Math.max(1, all.length);
    for (let at = 0; at < all.length; at += step) this.writer.record(dir, all.subarray(at, at + step));
    return this;
  }

  tx(data: Bytes): this {
    return this.write('tx', data);
  }

  rx(data: Bytes): this {
    return this.write('rx', data);
  }

  /** A command and its response lines, the last of which is the final result. */
  at(command: string, ...lines: string[]): this {
    this.tx(`${command}\r`);
    return this.rx(lines.map((l) => `\r\n${l}\r\n`).join(''));
  }

  urc(line: string): this {
    return this.rx(`\r\n${line}\r\n`);
  }

  boot(): this {
    return this.at('AT', 'OK').at('ATE0', 'OK').at('AT+CMEE=1', 'OK').at('AT+QIACT=1', 'OK');
  }

  qiopen(id: number, service: string, host: string, port: number): this {
    return this.at(`AT+QIOPEN=1,${id},"${service}","${host}",${port},0,0`, 'OK').urc(`+QIOPEN: ${id},0`);
  }

  /** The Mbed OS driver's send: counters, `AT+QISEND=<id>,<len>`, prompt, data, SEND OK, counters. */
  qisend(id: number, data: Bytes, peer?: string): this {
    const payload = bytes(data);
    this.at(`AT+QISEND=${id},0`, '+QISEND: 0,0,0', 'OK');
    this.tx(`AT+QISEND=${id},${payload.length}${peer ? `,${peer}` : ''}\r`).rx('\r\n> ');
    return this.tx(payload).rx('\r\nSEND OK\r\n').at(`AT+QISEND=${id},0`, '+QISEND: 0,0,0', 'OK');
  }

  qird(id: number, data: Bytes, from?: string): this {
    const payload = bytes(data);
    this.tx(from ? `AT+QIRD=${id}\r` : `AT+QIRD=${id},1500\r`);
    this.rx(`\r\n+QIRD: ${payload.length}${from ? `,${from}` : ''}\r\n`);
    return this.rx(payload).rx('\r\n\r\nOK\r\n');
  }

  qfupl(file: string, data: Bytes): this {
    const payload = bytes(data);
    this.at(`AT+QFDEL="${file}"`, '+CME ERROR: 405');
    this.tx(`AT+QFUPL="${file}",${payload.length}\r`).rx('\r\nCONNECT\r\n');
    return this.tx(payload).rx(`\r\n+QFUPL: ${payload.length},1a2b\r\n\r\nOK\r\n`);
  }

  qsslsend(id: number, data: Bytes): this {
    const payload = bytes(data);
    this.tx(`AT+QSSLSEND=${id},${payload.length}\r`).rx('\r\n> ');
    return this.tx(payload).rx('\r\nSEND OK\r\n');
  }

  qsslrecv(id: number, data: Bytes): this {
    const payload = bytes(data);
    this.tx(`AT+QSSLRECV=${id},1500\r`).rx(`\r\n+QSSLRECV: ${payload.length}\r\n`);
    return this.rx(payload).rx('\r\n\r\nOK\r\n');
  }

  async done(): Promise<Trace> {
    await this.writer.close();
    return readTrace(this.file);
  }
}
