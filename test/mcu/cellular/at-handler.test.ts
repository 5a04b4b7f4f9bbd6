import type { SerialPortStream } from '@serialport/stream';
import { expect } from 'chai';
import { AtError } from '../../../mcu/cellular/at-error.ts';
import { ATHandler } from '../../../mcu/cellular/at-handler.ts';
import { type MockPair, openMockPair } from '../../../shared/uart/mock-pair.ts';

/** A scripted modem end: answers each received `\r`-terminated command with script(command). */
function scriptModem(
  port: SerialPortStream,
  script: (command: string, raw: Buffer) => string | Buffer | null,
) {
  let pending = Buffer.alloc(0);
  port.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (let cr = pending.indexOf(13); cr >= 0; cr = pending.indexOf(13)) {
      const command = pending.subarray(0, cr).toString('latin1');
      pending = pending.subarray(cr + 1);
      const answer = script(command, pending);
      if (answer !== null) port.write(answer);
    }
  });
}

describe('ATHandler (mbed-os ATHandler.cpp behaviours)', () => {
  let pair: MockPair;
  let at: ATHandler;
  let urcs: string[];
  beforeEach(async () => {
    pair = await openMockPair('at-handler');
    at = new ATHandler(pair.mcu, { timeoutMs: 300 });
    urcs = [];
    at.setUrcHandler('+QIURC: "recv', (line) => urcs.push(line));
  });
  afterEach(() => pair.close());

  it('skips the echo of its own command when echo is on', async () => {
    scriptModem(pair.modem, (cmd) => `${cmd}\r\r\n+CSQ: 20,99\r\n\r\nOK\r\n`);
    const lines = await at.run(async (cmd) => {
      cmd.send('+CSQ');
      return cmd.ok();
    });
    expect(lines).to.deep.equal(['+CSQ: 20,99']);
  });

  it('dispatches URCs that arrive inside a response, and the response still completes', async () => {
    scriptModem(pair.modem, () => '\r\n+QIURC: "recv",0\r\n+QISTATE: 0\r\n+QIURC: "recv",1\r\n\r\nOK\r\n');
    const info = await at.run(async (cmd) => {
      cmd.send('+QISTATE?');
      const got = await cmd.info('+QISTATE:');
      await cmd.ok();
      return got;
    });
    expect(info).to.equal('0');
    expect(urcs).to.deep.equal(['+QIURC: "recv",0', '+QIURC: "recv",1']);
  });

  it('dispatches URCs while idle and discards unknown idle lines', async () => {
    pair.modem.write('\r\nRING\r\n\r\n+QIURC: "recv",3\r\n');
    await new Promise((r) => setTimeout(r, 30));
    expect(urcs).to.deep.equal(['+QIURC: "recv",3']);
  });

  it('waits for the "> " prompt, writes raw data, reads SEND OK', async () => {
    // Everything the modem end receives, so the bytes after the command can be compared exactly.
    const received: Buffer[] = [];
    pair.modem.on('data', (d: Buffer) => received.push(d));
    scriptModem(pair.modem, (cmd) => (cmd === 'AT+QISEND=0,7' ? '\r\n> ' : null));
    const payload = Buffer.from('\r\nX\r\nOK');
    const result = await at.run(async (cmd) => {
      cmd.send('+QISEND=0,7');
      await cmd.prompt();
      cmd.writeBytes(payload);
      pair.modem.write('\r\nSEND OK\r\n');
      return cmd.line();
    });
    expect(result).to.equal('SEND OK');
    await new Promise((r) => setTimeout(r, 20));
    // The command, then the payload raw: no CR added, nothing escaped, nothing after it.
    expect(Buffer.concat(received).toString('latin1')).to.equal(
      `AT+QISEND=0,7\r${payload.toString('latin1')}`,
    );
  });

  it('reads exactly N raw bytes even when they contain CR, LF, OK and URC text', async () => {
    const data = Buffer.from('\r\nOK\r\n+QIURC: "recv",0\r\n\x00\xff');
    scriptModem(pair.modem, () =>
      Buffer.concat([Buffer.from(`\r\n+QIRD: ${data.length}\r\n`), data, Buffer.from('\r\n\r\nOK\r\n')]),
    );
    const got = await at.run(async (cmd) => {
      cmd.send('+QIRD=0,1500');
      const n = Number(await cmd.info('+QIRD:'));
      const bytes = await cmd.bytes(n);
      await cmd.ok();
      return bytes;
    });
    expect(got).to.deep.equal(data);
    expect(urcs).to.deep.equal([]);
  });

  it('turns ERROR and +CME ERROR into AtErrors carrying the code', async () => {
    scriptModem(pair.modem, (cmd) => (cmd.includes('CME') ? '\r\n+CME ERROR: 552\r\n' : '\r\nERROR\r\n'));
    const plain = await at.run(async (cmd) => {
      cmd.send('+BAD');
      return cmd.ok();
    });
    expect(plain).to.be.instanceOf(AtError);
    expect((plain as AtError).failure).to.equal('error');
    const cme = await at.run(async (cmd) => {
      cmd.send('+CME');
      return cmd.ok();
    });
    expect((cme as AtError).cme).to.equal(552);
    expect((cme as AtError).nsapiError).to.equal(-3012);
  });

  it('times out a silent modem, then recovers for the next command despite a late reply', async () => {
    let calls = 0;
    scriptModem(pair.modem, () => {
      calls++;
      if (calls === 1) {
        setTimeout(() => pair.modem.write('\r\n+LATE: 1\r\n\r\nOK\r\n'), 400);
        return null;
      }
      return '\r\n+NEXT: 2\r\n\r\nOK\r\n';
    });
    const first = await at.run(async (cmd) => {
      cmd.send('+SLOW');
      return cmd.ok();
    });
    expect((first as AtError).failure).to.equal('timeout');
    await new Promise((r) => setTimeout(r, 150)); // the late reply arrives while idle and is discarded
    const second = await at.run(async (cmd) => {
      cmd.send('+NEXT');
      return cmd.ok();
    });
    expect(second).to.deep.equal(['+NEXT: 2']);
  });

  it('runs one command at a time in call order', async () => {
    const seen: string[] = [];
    scriptModem(pair.modem, (cmd) => {
      seen.push(cmd);
      return `\r\n${cmd.slice(2)}\r\n\r\nOK\r\n`;
    });
    const results = await Promise.all(
      ['+A', '+B', '+C'].map((body) =>
        at.run(async (cmd) => {
          cmd.send(body);
          return cmd.ok();
        }),
      ),
    );
    expect(seen).to.deep.equal(['AT+A', 'AT+B', 'AT+C']);
    expect(results).to.deep.equal([['+A'], ['+B'], ['+C']]);
  });
});
