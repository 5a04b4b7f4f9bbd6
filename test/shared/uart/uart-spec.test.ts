import { expect } from 'chai';
import { formatUartSpec, parseUartSpec } from '../../../shared/uart/uart-spec.ts';

describe('UART specs', () => {
  it('parses every documented form', () => {
    expect(parseUartSpec('mock:a/mcu')).to.deep.equal({ kind: 'mock', name: 'a/mcu' });
    expect(parseUartSpec('tcp://127.0.0.1:5000')).to.deep.equal({
      kind: 'tcp',
      host: '127.0.0.1',
      port: 5000,
    });
    expect(parseUartSpec('tcp-listen://[::1]:0')).to.deep.equal({ kind: 'tcp-listen', host: '::1', port: 0 });
    expect(parseUartSpec('/dev/ttyUSB0')).to.deep.equal({ kind: 'device', path: '/dev/ttyUSB0' });
  });

  it('round-trips through formatUartSpec', () => {
    for (const s of ['mock:x', 'tcp://localhost:1', 'tcp-listen://[::1]:80', '/dev/pts/3']) {
      expect(formatUartSpec(parseUartSpec(s))).to.equal(s);
    }
  });

  it('rejects malformed specs with a message that shows the accepted forms', () => {
    expect(() => parseUartSpec('mock:')).to.throw(/needs a name/);
    expect(() => parseUartSpec('udp://1.2.3.4:5')).to.throw(/tcp:\/\/HOST:PORT/);
    expect(() => parseUartSpec('tcp://host:70000')).to.throw(/out of range/);
    expect(() => parseUartSpec('ttyUSB0')).to.throw(/absolute path/);
  });
});
