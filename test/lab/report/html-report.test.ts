import { expect } from 'chai';
import { renderHtmlReport } from '../../../lab/report/html-report.ts';
import { hexDump } from '../../../lab/report/report-timeline.ts';
import { analyzeTrace } from '../../../lab/trace/trace-analysis.ts';
import { TraceScript } from '../trace/helpers/trace-script.ts';

const HOSTILE = '<script>alert("owned")</script><img src=x onerror=alert(1)>';

async function hostileTrace() {
  const s = new TraceScript({ mode: 'offload', scenario: '<b>bold</b>' });
  s.at('AT+QSSLOPEN=1,0,0,"127.0.0.1",4433,0', 'OK').urc('+QSSLOPEN: 0,0');
  s.qsslsend(0, HOSTILE);
  s.urc(`+QIURC: "${HOSTILE}"`);
  return s.done();
}

describe('HTML report', () => {
  it('stands alone: inline style and script, nothing fetched from anywhere', async () => {
    const html = renderHtmlReport([await hostileTrace()]);
    expect(html).to.match(/^<!DOCTYPE html>/);
    expect(html).to.match(/<style>[\s\S]+<\/style>/);
    expect(html).not.to.match(/<link\b/i);
    expect(html).not.to.match(/<script[^>]*\bsrc=/i);
    expect(html).not.to.match(/\b(src|href)="(?!#)/i);
    expect(html).not.to.match(/@import|url\(/i);
    expect(html).not.to.match(/https?:\/\//i);
  });

  it('escapes everything that came from the trace', async () => {
    const html = renderHtmlReport([await hostileTrace()]);
    // The report's own script is the only one; the payload's tags arrive as text.
    expect(html.match(/<script>/g)).to.have.length(1);
    expect(html).not.to.include('<img');
    expect(html).not.to.include('<b>bold');
    expect(html).to.include('&lt;script&gt;alert(\\&quot;owned\\&quot;)&lt;/script&gt;');
    expect(html).to.include('&lt;b&gt;bold&lt;/b&gt; (offload)');
  });

  it('shows each run: verdicts, byte bar, credentials, summary columns and a two-sided timeline', async () => {
    const s = new TraceScript({ mode: 'offload', scenario: 'upload' });
    s.qfupl('client.key', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n');
    const first = analyzeTrace(await s.done());
    const html = renderHtmlReport([first, await hostileTrace()], { title: 'two runs' });
    expect(html).to.include('<title>two runs</title>');
    expect(html).to.include('<span class="verdict bad">private key crossed the UART (1)</span>');
    expect(html).to.include(`<span class="verdict bad">plaintext on the UART: ${HOSTILE.length} B</span>`);
    expect(html).to.include('<li class="secret">⚠ PRIVATE KEY (PRIVATE KEY) via QFUPL "client.key"');
    expect(html.match(/<section class="run" id="run-\d">/g)).to.have.length(2);
    expect(html).to.match(
      /<tr><th><\/th><th>upload \(offload\)<\/th><th>&lt;b&gt;bold&lt;\/b&gt; \(offload\)<\/th><\/tr>/,
    );
    expect(html).to.match(/<tr><th>private keys seen<\/th><td class="flag">1<\/td><td>0<\/td><\/tr>/);
    // tx rows fill the left column, rx rows the right one.
    expect(html).to.match(
      /<tr class="row at"><td class="t">[\d.]+<\/td><td class="cell"><code>AT\+QFUPL=&quot;client.key&quot;,\d+<\/code><\/td><td><\/td><\/tr>/,
    );
    expect(html).to.match(
      /<tr class="row prompt"><td class="t">[\d.]+<\/td><td><\/td><td class="cell"><code>CONNECT<\/code>/,
    );
    expect(html).to.match(
      /<tr class="row data upload"><td class="t">[\d.]+<\/td><td class="cell"><div class="phase upload has-secret">/,
    );
  });

  it('dumps bytes as offset, hex and printable columns', () => {
    expect(hexDump(Buffer.from('\x16\x03\x01hello, world!\x00\xffAB', 'latin1'))).to.equal(
      '0000  16 03 01 68 65 6c 6c 6f 2c 20 77 6f 72 6c 64 21  |...hello, world!|\n' +
        '0010  00 ff 41 42                                      |..AB|',
    );
  });
});
