import { expect } from 'chai';
import type { AtEvent, DataEvent, LineEvent } from '../../../lab/trace/at-events.ts';
import { frameTrace } from '../../../lab/trace/at-framer.ts';
import { TraceScript } from './helpers/trace-script.ts';

const lines = (events: AtEvent[], role?: LineEvent['role']) =>
  events.filter((e): e is LineEvent => e.kind === 'line' && (!role || e.role === role)).map((e) => e.text);
const data = (events: AtEvent[]) => events.filter((e): e is DataEvent => e.kind === 'data');
const commands = (events: AtEvent[]) => events.flatMap((e) => (e.kind === 'command' ? [e.text] : []));

/** A small conversation with every framing the BG96 dialect has, as one script. */
async function everyFraming(chunk: number) {
  const s = new TraceScript({}, chunk);
  s.tx('AT\r').rx('\r\nRDY\r\n').rx('AT\r\r\nOK\r\n'); // echo still on
  s.at('ATE0', 'OK');
  s.qiopen(0, 'TCP', '127.0.0.1', 7);
  // A payload full of things that look like framing: it must be taken by count, not by content.
  s.qisend(0, '\r\nOK\r\n> +QIURC: "recv",0\r\nSEND OK');
  s.urc('+QIURC: "recv",0');
  s.qird(0, 'ab\r\n\r\nOK\r\nAT+QIRD=0\r');
  // Ctrl-Z terminated send, then one cancelled with ESC.
  s.tx('AT+QISEND=0\r').rx('\r\n> ').tx('zed\x1a').rx('\r\nSEND OK\r\n');
  s.tx('AT+QISEND=0\r').rx('\r\n> ').tx('never\x1b').rx('\r\nOK\r\n');
  // Direct push and the UDP SERVICE forms, with the peer address.
  s.urc('+QIURC: "recv",1,5').rx('hello\r\n');
  s.qisend(2, 'dgram', '"10.0.0.9",5684');
  s.qird(2, 'reply', '"10.0.0.9",5684');
  // An upload refused before its prompt: no data phase, the next command is read as a command.
  s.tx('AT+QFUPL="client.key",4\r').rx('\r\n+CME ERROR: 407\r\n');
  s.qfupl('cacert.pem', 'PEM!');
  s.at('AT+QSSLRECV=0,1500', '+QSSLRECV: 0', 'OK');
  return frameTrace(await s.done());
}

describe('AT framing from trace bytes', () => {
  it('finds commands, responses, URCs, echo, prompts and every kind of data phase', async () => {
    const { events, warnings } = await everyFraming(0);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/QISEND data cancelled with ESC/);
    expect(commands(events)).to.include.members([
      'AT',
      'ATE0',
      'AT+QISEND=0,33',
      'AT+QIRD=0,1500',
      'AT+QISEND=0',
      'AT+QFUPL="client.key",4',
      'AT+QFUPL="cacert.pem",4',
      'AT+QSSLRECV=0,1500',
    ]);
    expect(lines(events, 'echo')).to.deep.equal(['AT']);
    expect(lines(events, 'urc')).to.deep.equal([
      'RDY',
      '+QIOPEN: 0,0',
      '+QIURC: "recv",0',
      '+QIURC: "recv",1,5',
    ]);
    expect(lines(events, 'prompt')).to.deep.equal(['> ', '> ', '> ', '> ', 'CONNECT']);
    expect(lines(events, 'stray')).to.deep.equal([]);
    const phases = data(events).map((d) => [
      d.dir,
      d.via,
      d.socketId ?? d.file,
      d.payload.toString('latin1'),
      d.complete,
      d.peer,
    ]);
    expect(phases).to.deep.equal([
      ['tx', 'QISEND', 0, '\r\nOK\r\n> +QIURC: "recv",0\r\nSEND OK', true, undefined],
      ['rx', 'QIRD', 0, 'ab\r\n\r\nOK\r\nAT+QIRD=0\r', true, undefined],
      ['tx', 'QISEND', 0, 'zed', true, undefined],
      ['tx', 'QISEND', 0, 'never', false, undefined],
      ['rx', 'QIURC', 1, 'hello', true, undefined],
      ['tx', 'QISEND', 2, 'dgram', true, '10.0.0.9:5684'],
      ['rx', 'QIRD', 2, 'reply', true, '10.0.0.9:5684'],
      ['tx', 'QFUPL', 'cacert.pem', 'PEM!', true, undefined],
    ]);
    const refused = events.find((e) => e.kind === 'command' && e.text.startsWith('AT+QFUPL="client.key"'));
    expect(refused).to.include({ result: 'error', resultText: '+CME ERROR: 407' });
  });

  it('frames the same whether the wire delivered whole lines or one byte at a time', async () => {
    const whole = await everyFraming(0);
    const bytewise = await everyFraming(1);
    const shape = (events: AtEvent[]) =>
      events.map((e) =>
        e.kind === 'data' ? `${e.dir} data ${e.payload.toString('hex')}` : `${e.dir} ${e.text}`,
      );
    expect(shape(bytewise.events)).to.deep.equal(shape(whole.events));
    expect(bytewise.bytes).to.deep.equal(whole.bytes);
  });

  it('ties each answer to its command: information lines, final result, and data asked for', async () => {
    const s = new TraceScript();
    s.at('AT+QISEND=0,0', '+QISEND: 10,10,0', 'OK');
    s.tx('AT+QIRD=0,1500\r').urc('+QIURC: "recv",0').rx('\r\n+QIRD: 2\r\nhi\r\n\r\nOK\r\n');
    const { events } = frameTrace(await s.done());
    const [counters, read] = events.filter((e) => e.kind === 'command');
    const info = events.find((e) => e.kind === 'line' && e.text === '+QISEND: 10,10,0') as LineEvent;
    expect(info.role).to.equal('info');
    expect(info.answers).to.equal(counters);
    // A counters answer (+QISEND: a,b,c / +QIRD: a,b,c) carries no data; a URC inside a response stays a URC.
    expect(lines(events, 'urc')).to.deep.equal(['+QIURC: "recv",0']);
    const [phase] = data(events);
    expect(phase.command).to.equal(read);
    expect(phase.socketId).to.equal(0);
    expect(read).to.include({ result: 'ok', resultText: 'OK' });
  });

  it('takes the `A` acknowledgements of a QFUPL upload in ack mode for what they are', async () => {
    const file = Buffer.alloc(2048, 0x2d);
    const s = new TraceScript();
    s.tx('AT+QFUPL="big.pem",2048,5,1\r').rx('\r\nCONNECT\r\n');
    s.tx(file.subarray(0, 1024)).rx('A').tx(file.subarray(1024)).rx('A');
    s.rx('\r\n+QFUPL: 2048,2d2d\r\n\r\nOK\r\n');
    const { events, warnings } = frameTrace(await s.done());
    expect(warnings).to.deep.equal([]);
    expect(lines(events, 'ack')).to.deep.equal(['A', 'A']);
    expect(lines(events, 'info')).to.deep.equal(['+QFUPL: 2048,2d2d']);
    expect(data(events).map((d) => [d.file, d.payload.equals(file), d.complete])).to.deep.equal([
      ['big.pem', true, true],
    ]);
  });

  it('notes a data phase the modem ended early and goes on reading commands', async () => {
    const s = new TraceScript();
    s.tx('AT+QISEND=0,10\r').rx('\r\n> ').tx('abc').rx('\r\n+CME ERROR: 569\r\n');
    s.at('AT+QICLOSE=0', 'OK');
    const { events, warnings } = frameTrace(await s.done());
    expect(data(events).map((d) => [d.payload.toString(), d.complete, d.expected])).to.deep.equal([
      ['abc', false, 10],
    ]);
    expect(commands(events)).to.deep.equal(['AT+QISEND=0,10', 'AT+QICLOSE=0']);
    expect(warnings.join('\n')).to.match(/ended the QISEND data phase early/);
  });

  it('reads no payload after a command the modem never prompted', async () => {
    const s = new TraceScript();
    s.tx('AT+QSSLSEND=0,4\r').tx('AT\r').rx('\r\nOK\r\n');
    const { events, warnings } = frameTrace(await s.done());
    expect(commands(events)).to.deep.equal(['AT+QSSLSEND=0,4', 'AT']);
    expect(data(events)).to.have.length(0);
    expect(warnings.join('\n')).to.match(/got no prompt/);
  });

  it('survives a trace cut inside a payload or a line', async () => {
    const s = new TraceScript();
    s.tx('AT+QIRD=0,1500\r').rx('\r\n+QIRD: 100\r\nonly a few').tx('AT+QIC');
    const { events, warnings } = frameTrace(await s.done());
    expect(data(events)[0]).to.include({ complete: false, expected: 100 });
    expect(events.at(-1)).to.include({ kind: 'command', text: 'AT+QIC', unterminated: true });
    expect(warnings.join('\n')).to.match(/trace ends inside a QIRD payload/);
  });

  it('accounts for every byte of random noise without throwing', async () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const alphabet = Buffer.from('AT+QISEND=0,5\r\n> OK+QIRD: 3\r\nCONNECT\x1a\x1b"QFUPL",\x00\xff');
    const s = new TraceScript({}, 7);
    for (let i = 0; i < 200; i++) {
      const piece = Buffer.from(
        Array.from({ length: random() % 40 }, () => alphabet[random() % alphabet.length]),
      );
      s.write(random() % 2 ? 'tx' : 'rx', piece);
    }
    const trace = await s.done();
    const framed = frameTrace(trace);
    const sent = trace.chunks.filter((c) => c.dir === 'tx').reduce((n, c) => n + c.data.length, 0);
    expect(framed.bytes.tx).to.equal(sent);
    const payload = data(framed.events).reduce((n, d) => n + d.payload.length, 0);
    expect(payload).to.be.at.most(framed.bytes.tx + framed.bytes.rx);
  });
});
