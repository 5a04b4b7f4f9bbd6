import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  directionBytes,
  parseTrace,
  readTrace,
  TraceFormatError,
} from '../../../shared/trace/trace-reader.ts';
import { TraceWriter } from '../../../shared/trace/trace-writer.ts';

describe('uart.jsonl trace', () => {
  it('writes a header and chunks that read back byte for byte', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tlssim-trace-')), 'run', 'uart.jsonl');
    const writer = new TraceWriter(file, { baud: 115200, frame: '8N1', mode: 'mbedtls', scenario: 's' });
    writer.record('tx', Buffer.from('AT\r'));
    writer.record('rx', Uint8Array.from([0, 255, 13, 10]));
    await writer.close();
    const first = JSON.parse(readFileSync(file, 'utf8').split('\n')[0]);
    expect(first).to.include({
      format: 'tlssim-uart-trace',
      version: 1,
      baud: 115200,
      frame: '8N1',
      mode: 'mbedtls',
    });
    const trace = readTrace(file);
    expect(trace.chunks.map((c) => c.dir)).to.deep.equal(['tx', 'rx']);
    expect(directionBytes(trace, 'rx')).to.deep.equal(Buffer.from([0, 255, 13, 10]));
    expect(trace.chunks[1].t).to.be.at.least(trace.chunks[0].t);
  });

  it('starts its times at the first chunk, and startedEpochMs is that chunk’s wall-clock time', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tlssim-trace-')), 'uart.jsonl');
    const writer = new TraceWriter(file, { baud: 115200, frame: '8N1' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = Date.now();
    writer.record('tx', Buffer.from('AT\r'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    writer.record('rx', Buffer.from('\r\nOK\r\n'));
    await writer.close();
    const trace = readTrace(file);
    expect(trace.chunks[0].t).to.equal(0);
    expect(trace.chunks[1].t).to.be.at.least(15);
    // The origin is the first chunk, not the writer's creation 50 ms earlier (1 ms for clock rounding).
    expect(trace.header.startedEpochMs).to.be.within(before - 1, Date.now());
    expect(Date.parse(trace.header.started)).to.equal(Math.floor(trace.header.startedEpochMs ?? 0));
  });

  it('a trace that saw nothing still has its header', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tlssim-trace-')), 'uart.jsonl');
    await new TraceWriter(file, { baud: 115200, frame: '8N1' }).close();
    expect(readTrace(file).chunks).to.deep.equal([]);
  });

  it('reads a trace cut mid-line by a killed run up to the cut, and says it was truncated', () => {
    const head = '{"format":"tlssim-uart-trace","version":1,"baud":1,"frame":"8N1","started":"x"}';
    const trace = parseTrace(`${head}\n{"t":1,"dir":"tx","data":"QQ=="}\n{"t":2,"dir":"rx","da`, 'f');
    expect(trace.chunks).to.have.length(1);
    expect(trace.truncated).to.equal(true);
    // The same damage in the middle of a file is still an error naming the line.
    expect(() =>
      parseTrace(`${head}\n{"t":2,"dir":"rx","da\n{"t":1,"dir":"tx","data":"QQ=="}\n`, 'f'),
    ).to.throw('f:2:');
  });

  it('names the line of malformed input', () => {
    const head = '{"format":"tlssim-uart-trace","version":1,"baud":1,"frame":"8N1","started":"x"}';
    expect(() => parseTrace('nonsense', 'f')).to.throw(TraceFormatError, 'f:1:');
    expect(() =>
      parseTrace(`${head}\n{"t":1,"dir":"tx","data":"QQ=="}\n{"t":1,"dir":"up","data":""}`, 'f'),
    ).to.throw('f:3:');
    expect(() => parseTrace(`${head}\n{"t":1,"dir":"rx","data":"@@"}`, 'f')).to.throw(
      'f:2: data is not base64',
    );
    const dir = mkdtempSync(join(tmpdir(), 'tlssim-trace-'));
    writeFileSync(join(dir, 'bad.jsonl'), `${head}\n{oops\n`);
    expect(() => readTrace(join(dir, 'bad.jsonl'))).to.throw(/bad\.jsonl:2: not a JSON object/);
  });
});
