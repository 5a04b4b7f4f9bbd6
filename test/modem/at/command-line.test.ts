import { expect } from 'chai';
import { CommandSyntaxError, parseCommandLine, splitParams } from '../../../modem/at/command-line.ts';
import { ParamError } from '../../../modem/at/params.ts';

describe('modem/at command line parser', () => {
  it('recognises the four forms of an extended command', () => {
    expect(parseCommandLine('AT+CMEE=?')).to.include({ name: '+CMEE', form: 'test' });
    expect(parseCommandLine('AT+CMEE?')).to.include({ name: '+CMEE', form: 'read' });
    expect(parseCommandLine('AT+CMEE=1')).to.include({ name: '+CMEE', form: 'write' });
    expect(parseCommandLine('AT+QIGETERROR')).to.include({ name: '+QIGETERROR', form: 'exec' });
  });

  it('accepts lower case and treats basic commands with their digit as a parameter', () => {
    expect(parseCommandLine('at+cmee?')).to.include({ name: '+CMEE', form: 'read' });
    const e0 = parseCommandLine('ATE0');
    expect(e0).to.include({ name: 'E', form: 'exec' });
    expect(e0.params.int(0, 0, 1)).to.equal(0);
    expect(parseCommandLine('AT')).to.include({ name: '', form: 'exec' });
    expect(parseCommandLine('ATI').name).to.equal('I');
  });

  it('splits parameters honouring quotes, commas inside quotes and empty entries', () => {
    expect(splitParams('1,"TCP","a,b",,7')).to.deep.equal([
      { quoted: false, text: '1' },
      { quoted: true, text: 'TCP' },
      { quoted: true, text: 'a,b' },
      undefined,
      { quoted: false, text: '7' },
    ]);
  });

  it('rejects malformed lines with CommandSyntaxError', () => {
    for (const bad of [
      'HELLO',
      'AT+QIOPEN=1,"TCP',
      'AT+X="a"b',
      'AT+X=a"b',
      'AT+CMEE?x',
      'ATE0\x01',
      'AT+=1',
    ]) {
      expect(() => parseCommandLine(bad), bad).to.throw(CommandSyntaxError);
    }
  });

  it('gives typed parameters and throws ParamError when out of range or of the wrong kind', () => {
    const { params } = parseCommandLine('AT+QIOPEN=1,12,"TCP",99999999999');
    expect(params.int(0, 1, 16)).to.equal(1);
    expect(() => params.int(1, 0, 11)).to.throw(ParamError);
    expect(() => params.int(2, 0, 11)).to.throw(ParamError);
    expect(() => params.int(3, 0, 65535)).to.throw(ParamError);
    expect(params.quoted(2)).to.equal('TCP');
    expect(() => params.quoted(0)).to.throw(ParamError);
    expect(params.optInt(9, 0, 5, 3)).to.equal(3);
  });
});
