// Fault marks in uart.jsonl: written by TraceWriter, read back by offset into the direction's bytes, and
// lines of a kind the reader does not know are skipped, not errors.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { directionBytes, parseTrace, readTrace } from '../../../shared/trace/trace-reader.ts';
import { TraceWriter } from '../../../shared/trace/trace-writer.ts';

const HEAD = '{"format":"tlssim-uart-trace","version":1,"baud":1,"frame":"8N1","started":"x"}';

describe('uart.jsonl fault marks', () => {
  it('reads back the marks the writer wrote, with the chunks unchanged', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tlssim-trace-')), 'uart.jsonl');
    const writer = new TraceWriter(file, { baud: 115200, frame: '8N1', uartFaults: { seed: 7 } });
    writer.record('rx', Buffer.from('\r\nOK'));
    writer.recordFault('rx', 'bit-flip', 4, { sent: 13, mask: 1 });
    writer.record('rx', Buffer.from([12, 10]));
    await writer.close();
    const trace = readTrace(file);
    expect(trace.header.uartFaults).to.deep.equal({ seed: 7 });
    expect(directionBytes(trace, 'rx')).to.deep.equal(Buffer.from('\r\nOK\f\n'));
    expect(trace.faults).to.have.length(1);
    expect(trace.faults?.[0]).to.deep.include({
      dir: 'rx',
      fault: 'bit-flip',
      offset: 4,
      detail: { sent: 13, mask: 1 },
    });
  });

  it('skips lines of unknown kinds (a newer writer) but still refuses a damaged chunk', () => {
    const text = [
      HEAD,
      '{"t":1,"dir":"tx","data":"QQ=="}',
      '{"t":2,"dir":"tx","fault":"cosmic-ray","offset":0,"detail":{}}',
      '{"t":3,"note":"something new"}',
      '{"t":4,"dir":"tx","fault":"drop","offset":1,"detail":{"sent":66}}',
      '',
    ].join('\n');
    const trace = parseTrace(text, 'f');
    expect(trace.chunks).to.have.length(1);
    expect(trace.faults?.map((f) => f.fault)).to.deep.equal(['drop']);
    expect(() => parseTrace(`${HEAD}\n{"t":1,"dir":"up","data":""}\n`, 'f')).to.throw('f:2:');
  });
});
