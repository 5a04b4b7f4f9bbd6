// The one-call AT helpers (Mbed OS ATHandler::at_cmd_discard / at_cmd_int / at_cmd_str, and a list
// form): exactly the bytes of "send, then read to OK", typed results at the lock's edge, and the `at`
// debug channel.
import { expect } from 'chai';
import { ATHandler } from '../../../mcu/cellular/at-handler.ts';
import { formatLogLine, type LogLine, setDebugChannels, setLogSink } from '../../../shared/log.ts';
import { NSAPI_ERROR_DEVICE_ERROR, NSAPI_ERROR_OK } from '../../../shared/nsapi.ts';
import { type MockPair, openMockPair } from '../../../shared/uart/mock-pair.ts';
import { ScriptedModem } from './scripted-modem.ts';

describe('ATHandler one-call helpers', () => {
  let pair: MockPair;
  let modem: ScriptedModem;
  let at: ATHandler;
  let written: Buffer;
  beforeEach(async () => {
    pair = await openMockPair('at-helpers');
    written = Buffer.alloc(0);
    pair.modem.on('data', (chunk: Buffer) => {
      written = Buffer.concat([written, chunk]);
    });
    modem = new ScriptedModem(pair.modem);
    at = new ATHandler(pair.mcu, { timeoutMs: 200 });
  });
  afterEach(() => pair.close());

  it('at_cmd_discard writes AT<cmd><args>\\r and answers OK, or DEVICE_ERROR for ERROR / +CME ERROR / silence', async () => {
    expect(await at.at_cmd_discard('+QICLOSE', '=3', 500)).to.equal(NSAPI_ERROR_OK);
    expect(written.toString('latin1')).to.equal('AT+QICLOSE=3\r');
    modem.on(/^AT\+QFDEL/, '\r\nERROR\r\n');
    expect(await at.at_cmd_discard('+QFDEL', '="x"')).to.equal(NSAPI_ERROR_DEVICE_ERROR);
    modem.on(/^AT\+QFDEL/, '\r\n+CME ERROR: 405\r\n');
    expect(await at.at_cmd_discard('+QFDEL', '="x"')).to.equal(NSAPI_ERROR_DEVICE_ERROR);
    modem.on(/^ATE0$/, () => null);
    expect(await at.at_cmd_discard('E0')).to.equal(NSAPI_ERROR_DEVICE_ERROR);
    expect(await at.at_cmd_discard('')).to.equal(NSAPI_ERROR_OK); // plain "AT"
    expect(modem.commands).to.deep.equal(['AT+QICLOSE=3', 'AT+QFDEL="x"', 'AT+QFDEL="x"', 'ATE0', 'AT']);
  });

  it('at_cmd_int reads the first parameter of the <cmd>: line, strictly', async () => {
    modem.on(/^AT\+QISEND=0,0$/, '\r\n+QISEND: 120,100,20\r\n\r\nOK\r\n');
    expect(await at.at_cmd_int('+QISEND', '=0,0')).to.deep.equal({ ok: true, value: 120 });
    modem.on(/^AT\+QISEND=0,0$/, '\r\n+QISEND: 12?,0,0\r\n\r\nOK\r\n');
    expect(await at.at_cmd_int('+QISEND', '=0,0')).to.deep.equal({
      ok: false,
      error: NSAPI_ERROR_DEVICE_ERROR,
    });
    modem.on(/^AT\+QISEND=0,0$/, '\r\nOK\r\n'); // no info line at all
    expect(await at.at_cmd_int('+QISEND', '=0,0')).to.deep.equal({
      ok: false,
      error: NSAPI_ERROR_DEVICE_ERROR,
    });
    // The OK of the malformed answer was consumed: the next command reads its own response.
    modem.on(/^AT\+CMEE\?$/, '\r\n+CMEE: 1\r\n\r\nOK\r\n');
    expect(await at.at_cmd_int('+CMEE', '?')).to.deep.equal({ ok: true, value: 1 });
  });

  it('at_cmd_str gives the text after the prefix; at_cmd_lines every matching line', async () => {
    modem.on(/^AT\+CPIN\?$/, '\r\n+CPIN: READY\r\n\r\nOK\r\n');
    expect(await at.at_cmd_str('+CPIN', '?')).to.deep.equal({ ok: true, value: 'READY' });
    modem.on(/^AT\+QIACT\?$/, '\r\n+QIACT: 1,1,1,"10.0.0.2"\r\n+QIACT: 2,1,1,"10.0.0.3"\r\n\r\nOK\r\n');
    expect(await at.at_cmd_lines('+QIACT', '?')).to.deep.equal({
      ok: true,
      value: ['1,1,1,"10.0.0.2"', '2,1,1,"10.0.0.3"'],
    });
    modem.on(/^AT\+QIACT\?$/, '\r\nOK\r\n');
    expect(await at.at_cmd_lines('+QIACT', '?')).to.deep.equal({ ok: true, value: [] });
  });

  it('inside one exchange the helpers throw, and the exchange ends as one AtError value', async () => {
    modem.on(/^AT\+QSSLCFG="sslversion"/, '\r\nERROR\r\n');
    const result = await at.run(async (cmd) => {
      await cmd.at_cmd_discard('+QSSLCFG', '="seclevel",0,1');
      await cmd.at_cmd_discard('+QSSLCFG', '="sslversion",0,4');
      await cmd.at_cmd_discard('+QSSLCFG', '="ciphersuite",0,0xFFFF');
    });
    expect(result).to.be.instanceOf(Error);
    expect(modem.commands).to.deep.equal(['AT+QSSLCFG="seclevel",0,1', 'AT+QSSLCFG="sslversion",0,4']);
  });

  describe('the at debug channel', () => {
    let lines: LogLine[];
    beforeEach(() => {
      lines = [];
      setLogSink((line) => lines.push(line));
    });
    afterEach(() => {
      setLogSink(null);
      setDebugChannels(process.env.TLSSIM_DEBUG);
    });

    it('with TLSSIM_DEBUG=at: one line per command, response line, data phase and URC', async () => {
      setDebugChannels('at');
      at.setUrcHandler('+QIURC: "recv', () => {});
      modem.on(/^AT\+QISEND=0,2$/, () => {
        modem.expectData(2, '\r\nSEND OK\r\n');
        return '\r\n> ';
      });
      await at.run(async (cmd) => {
        cmd.send('+QISEND=0,2');
        await cmd.prompt();
        cmd.writeBytes(Buffer.from('hi'));
        await cmd.line();
      });
      modem.urc('+QIURC: "recv",0');
      await new Promise((r) => setTimeout(r, 20));
      expect(lines.map(formatLogLine)).to.deep.equal([
        '[DBG][AT]: -> AT+QISEND=0,2',
        '[DBG][AT]: <- >',
        '[DBG][AT]: -> 2 data bytes',
        '[DBG][AT]: <- SEND OK',
        '[DBG][AT]: <- +QIURC: "recv",0 (URC)',
      ]);
    });

    it('without it: nothing', async () => {
      setDebugChannels('');
      expect(await at.at_cmd_discard('+CFUN', '=1')).to.equal(NSAPI_ERROR_OK);
      expect(lines).to.deep.equal([]);
    });
  });
});
