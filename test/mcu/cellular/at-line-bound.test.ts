// An unended line from the modem is bounded, as Mbed OS's fixed ATHandler buffer is
// (ATHandler::fill_buffer drops a full buffer): past AT_MAX_LINE bytes it is dropped up to its line end,
// where parsing resumes. The work per chunk is bounded by what is buffered, so the test asserts the
// buffered length after every chunk (no timing).
import { expect } from 'chai';
import { ATHandler } from '../../../mcu/cellular/at-handler.ts';
import { AT_MAX_LINE, AtInput } from '../../../mcu/cellular/at-input.ts';
import { type MockPair, openMockPair } from '../../../shared/uart/mock-pair.ts';

const CHUNK = 4096;
const TOTAL = 800 * 1024;

describe('ATHandler: an unended line is bounded', () => {
  let pair: MockPair;
  let at: ATHandler;
  let urcs: string[];
  beforeEach(async () => {
    pair = await openMockPair('at-line-bound');
    at = new ATHandler(pair.mcu, { timeoutMs: 300 });
    urcs = [];
    at.setUrcHandler('+QIURC: "recv', (line) => urcs.push(line));
  });
  afterEach(() => pair.close());

  /** Sends 800 KB without CR or LF in chunks; returns the most the handler ever held after a chunk. */
  async function flood(): Promise<number> {
    let most = 0;
    let received = 0;
    const done = new Promise<void>((resolve) => {
      // Registered after the handler's listener, so it sees the buffer once the handler has parsed.
      pair.mcu.on('data', (chunk: Buffer) => {
        most = Math.max(most, at.bufferedBytes);
        received += chunk.length;
        if (received >= TOTAL) resolve();
      });
    });
    const chunk = Buffer.alloc(CHUNK, 'A');
    for (let sent = 0; sent < TOTAL; sent += CHUNK) pair.modem.write(chunk);
    await done;
    return most;
  }

  it('while idle: holds at most AT_MAX_LINE bytes, then a URC and an exchange work', async () => {
    expect(await flood()).to.be.at.most(AT_MAX_LINE);
    pair.modem.write('tail of the long line\r\n+QIURC: "recv",0\r\n');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(urcs).to.deep.equal(['+QIURC: "recv",0']);
    pair.modem.on('data', () => pair.modem.write('\r\n+CSQ: 20,99\r\n\r\nOK\r\n'));
    expect(await at.at_cmd_str('+CSQ')).to.deep.equal({ ok: true, value: '20,99' });
  });

  it('inside a response: the overlong line is dropped and the response still completes', async () => {
    pair.modem.on('data', () => {
      pair.modem.write(Buffer.alloc(3 * AT_MAX_LINE, 'B'));
      pair.modem.write('\r\n+CSQ: 20,99\r\n\r\nOK\r\n');
    });
    expect(await at.at_cmd_str('+CSQ')).to.deep.equal({ ok: true, value: '20,99' });
    expect(at.bufferedBytes).to.equal(0);
  });

  it('searches each byte of a partial line for its end once, not once per chunk (AtInput)', () => {
    const input = new AtInput();
    let searched = 0;
    const indexOf = Buffer.prototype.indexOf;
    // Counts the bytes each line-end search covers; restored below. A line just under the bound, one
    // byte per chunk: rescanning it per chunk would cover ~2 million bytes.
    Buffer.prototype.indexOf = function (this: Buffer, value: number, offset?: number) {
      searched += this.length - Math.min(this.length, offset ?? 0);
      return indexOf.call(this, value, offset);
    } as typeof Buffer.prototype.indexOf;
    try {
      for (let i = 0; i < AT_MAX_LINE - 48; i++) {
        input.push(Buffer.from('C'));
        expect(input.take({ kind: 'line' })).to.equal(null);
      }
      input.push(Buffer.from('\r\n'));
      expect(input.take({ kind: 'line' })).to.deep.equal({
        kind: 'line',
        text: 'C'.repeat(AT_MAX_LINE - 48),
      });
    } finally {
      Buffer.prototype.indexOf = indexOf;
    }
    expect(input.takeOverflows()).to.equal(0);
    expect(searched).to.be.at.most(2 * AT_MAX_LINE);
  });
});
