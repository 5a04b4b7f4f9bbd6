// The HTML report's cost card (docs/costs.md): the MCU's TLS memory, UART bytes, bytes over the air
// with their TLS split, and handshakes, per run the runner measured.
import { expect } from 'chai';
import { renderHtmlReport } from '../../../lab/report/html-report.ts';
import { renderCostCard } from '../../../lab/report/report-costs.ts';
import { analyzeTrace } from '../../../lab/trace/trace-analysis.ts';
import { TraceScript } from '../trace/helpers/trace-script.ts';
import { mbedtlsCosts, offloadReconnectCosts, RECONNECT_CONNECTIONS } from './helpers/cost-fixtures.ts';

/** The figure a card shows beside a label. */
function figure(html: string, label: string): string | undefined {
  const escaped = label.replace(/[()]/g, '\\$&');
  return html.match(new RegExp(`<th>(?:<i class="[\\w-]+"></i>)?${escaped}</th><td>([^<]*)</td>`))?.[1];
}

describe('HTML report: cost card', () => {
  it('mbedtls mode: the Mbed TLS heap, UART bytes, air bytes with the handshake share, handshakes', () => {
    const card = renderCostCard(mbedtlsCosts());
    expect(card.match(/<div class="cost">/g)).to.have.length(4);
    expect(figure(card, 'Mbed TLS heap, peak')).to.equal('49,102 B');
    expect(figure(card, 'after close')).to.equal('0 B');
    expect(figure(card, 'credentials handed over')).to.equal(undefined);
    expect(card).not.to.include('TLS runs in the modem');
    expect(figure(card, 'total')).to.equal('4,753 B'); // UART tx + rx
    expect(figure(card, 'TLS handshake')).to.equal('400 / 2,446 B (75 %)');
    expect(figure(card, 'application data')).to.equal('71 / 71 B');
    expect(figure(card, 'IP/TCP headers (estimate)')).to.equal('400 / 320 B');
    expect(figure(card, 'full')).to.equal('1');
    expect(figure(card, 'resumed')).to.equal('0');
    // One connection: nothing to compare, so no per-connection rows.
    expect(card).not.to.include('connection 1');
  });

  it('offload mode: no Mbed TLS on the MCU, the credentials instead; each connection of a reconnect', () => {
    const card = renderCostCard(offloadReconnectCosts(), RECONNECT_CONNECTIONS);
    expect(figure(card, 'Mbed TLS heap, peak')).to.equal('0 B');
    expect(figure(card, 'credentials handed over')).to.equal('1,229 B');
    expect(card).to.include('TLS runs in the modem: the MCU keeps only the credentials.');
    expect(figure(card, 'connections')).to.equal('2');
    expect(figure(card, 'connection 1 (full), air')).to.equal('3,527 B');
    expect(figure(card, 'connection 2 (resumed), air')).to.equal('1,324 B');
  });

  it('draws the air bytes as a bar whose parts add up to the whole', () => {
    const card = renderCostCard(mbedtlsCosts());
    const widths = [...card.matchAll(/<span class="seg-[\w-]+" style="width:([\d.]+)%"/g)].map((m) =>
      Number(m[1]),
    );
    expect(widths).to.have.length(4); // handshake, application data, headers, alerts
    expect(widths.reduce((a, b) => a + b)).to.be.closeTo(100, 0.01);
  });

  it('appears in the overview for a measured run, and not for a bare trace', async () => {
    const s = new TraceScript({ mode: 'mbedtls', scenario: 'connect-secure-server' });
    s.at('AT', 'OK');
    const analysis = analyzeTrace(await s.done());
    const html = renderHtmlReport([{ analysis, costs: mbedtlsCosts() }, analysis]);
    expect(html.match(/<div class="costs"/g)).to.have.length(1);
    const overview = html.slice(
      html.indexOf('<section id="overview">'),
      html.indexOf('<section id="summary">'),
    );
    expect(overview).to.include('<h4>What it cost</h4><div class="costs"');
  });
});
