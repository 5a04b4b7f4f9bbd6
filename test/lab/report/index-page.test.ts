// <out>/index.html: every run with its status, duration and costs, failures first, linked (relatively)
// to its report and files and to a retried run's earlier attempts; skipped runs with their reason;
// nothing from a run's text reaches the page unescaped. Read back with headless Chromium's DOM when
// it is installed (as html-render.test.ts), and always by its markup.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { INDEX_FILE, renderIndexPage, writeIndexPage } from '../../../lab/report/index-page.ts';
import type { RunResult } from '../../../lab/runner/retry.ts';
import { failedAttempt, fakeResult, lastAttempt } from './helpers/run-results.ts';

const CHROMIUM = '/usr/bin/chromium';

interface Row {
  run: string;
  status: string;
  cells: Record<string, string>;
  links: Record<string, string>;
}

function suite(outDir: string) {
  const passed = fakeResult(outDir, 'steady', 'passed');
  const flaky = fakeResult(outDir, 'wobbly', 'passed');
  flaky.attempts = [failedAttempt(flaky, 1), lastAttempt(flaky, 2)];
  flaky.flaky = true;
  const failed = fakeResult(outDir, 'broken<script>', 'failed', { where: 'scenarios/broken.ts:12:5' });
  const report = join(passed.dir, 'report.html');
  writeFileSync(report, '<!DOCTYPE html><title>report</title>');
  const reports = new Map<RunResult, string>([[passed, report]]);
  const skipped = [
    {
      scenario: 'offload-only',
      file: join(outDir, 'o.ts'),
      mode: 'mbedtls' as const,
      reason: 'runs only in offload',
    },
  ];
  return { results: [passed, flaky, failed], skipped, reports };
}

/** The rows by their markup: data attributes, cells and links (the page is generated, so regular). */
function rowsOf(html: string): Row[] {
  return [
    ...html.matchAll(/<tr class="run [^"]*" data-run="([^"]*)" data-status="([^"]*)">([\s\S]*?)<\/tr>/g),
  ].map((m) => ({
    run: m[1],
    status: m[2],
    cells: Object.fromEntries([...m[3].matchAll(/data-cost="(\w+)">([^<]*)</g)].map((c) => [c[1], c[2]])),
    links: Object.fromEntries([...m[3].matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)].map((a) => [a[2], a[1]])),
  }));
}

describe('index page (tlssim run writes <out>/index.html)', () => {
  it('lists every run, failures first, with status, duration, costs and relative links', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'tlssim-index-'));
    const { results, skipped, reports } = suite(outDir);
    const file = writeIndexPage({
      outDir,
      results,
      skipped,
      reports,
      shard: { index: 2, total: 4 },
      wallMs: 9000,
    });
    expect(file).to.equal(join(outDir, INDEX_FILE));
    const html = readFileSync(file, 'utf8');
    expect(html).to.not.contain('<script>');
    expect(html).to.contain('1 failed, 1 flaky, 1 passed, 1 skipped · shard 2/4 · 9.0 s');
    const rows = rowsOf(html);
    expect(rows.map((r) => [r.run, r.status])).to.deep.equal([
      ['broken&lt;script&gt; (mbedtls)', 'failed'],
      ['wobbly (mbedtls)', 'flaky'],
      ['steady (mbedtls)', 'passed'],
      ['offload-only (mbedtls)', 'skipped'],
    ]);
    expect(rows[2].cells).to.deep.equal({
      mcuTlsHeapPeakBytes: '41,234 B',
      airBytes: '5,600 / 7,800 B',
      uartBytes: '1,200 / 3,400 B',
      handshakes: '1 / 1',
    });
    expect(html).to.match(/data-duration-ms="2345">2\.3 s/);
    expect(rows[2].links).to.deep.equal({
      report: 'steady/mbedtls/report.html',
      'uart.jsonl': 'steady/mbedtls/uart.jsonl',
      'mcu.log': 'steady/mbedtls/mcu.log',
      'modem.log': 'steady/mbedtls/modem.log',
    });
    // The failed name is URL-encoded in its links; the flaky run links its failed attempt's files too.
    expect(rows[0].links['mcu.log']).to.equal('broken%3Cscript%3E/mbedtls/mcu.log');
    expect(html).to.contain('href="wobbly/mbedtls.attempt-1/mcu.log"');
    for (const row of rows)
      for (const href of Object.values(row.links))
        expect(existsSync(join(outDir, decodeURIComponent(href))), href).to.equal(true);
    expect(html).to.contain('runs only in offload');
    expect(html).to.contain('<code>scenarios/broken.ts:12:5</code>');
  });

  it('renders in headless Chromium: one row per run, links that resolve', async function () {
    this.timeout(60_000);
    const name = 'playwright-core';
    const playwright = existsSync(CHROMIUM) ? await import(name).catch(() => undefined) : undefined;
    if (!playwright) this.skip();
    const outDir = mkdtempSync(join(tmpdir(), 'tlssim-index-'));
    const { results, skipped, reports } = suite(outDir);
    writeFileSync(join(outDir, INDEX_FILE), renderIndexPage({ outDir, results, skipped, reports }));
    const browser = await playwright.chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(join(outDir, INDEX_FILE)).href);
      // A string, run in the page: this project compiles without the DOM's types.
      const seen = (await page.evaluate(`({
        rows: [...document.querySelectorAll('#runs tbody tr')].map((tr) => tr.dataset.status),
        links: [...document.querySelectorAll('#runs a')].map((a) => a.href),
        title: document.title,
      })`)) as { rows: string[]; links: string[]; title: string };
      expect(seen.rows).to.deep.equal(['failed', 'flaky', 'passed', 'skipped']);
      expect(seen.title).to.equal('tlssim run: 1 failed, 1 flaky, 1 passed, 1 skipped');
      expect(seen.links.length).to.be.greaterThan(8);
      for (const href of seen.links) expect(existsSync(new URL(href)), href).to.equal(true);
      expect(resolve(new URL(seen.links[0]).pathname).startsWith(outDir)).to.equal(true);
    } finally {
      await browser.close();
    }
  });
});
