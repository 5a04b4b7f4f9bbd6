// Opens the HTML report in headless Chromium (Debian's `chromium`, driven by playwright-core) and
// checks what a person would see. Screenshots land in out/test/lab/report/.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { writeHtmlReport } from '../../../lab/report/html-report.ts';
import { analyzeTrace } from '../../../lab/trace/trace-analysis.ts';
import { sharedTestPki } from '../pki/shared-test-pki.ts';
import { mbedtlsSessionTrace, offloadSessionTrace } from '../trace/helpers/session-traces.ts';
import { captureTlsSession } from '../trace/helpers/tls-capture.ts';
import { mbedtlsCosts, offloadReconnectCosts, RECONNECT_CONNECTIONS } from './helpers/cost-fixtures.ts';

const CHROMIUM = '/usr/bin/chromium';
const OUT = fileURLToPath(new URL('../../../out/test/lab/report/', import.meta.url));
const MESSAGE = 'open the valve at 06:00';

// Just what this test uses of playwright-core, so the file type-checks whether or not it is installed.
interface Page {
  goto(url: string): Promise<unknown>;
  title(): Promise<string>;
  on(event: 'pageerror', listener: (error: Error) => void): void;
  locator(selector: string): {
    count(): Promise<number>;
    allTextContents(): Promise<string[]>;
    first(): { scrollIntoViewIfNeeded(): Promise<void> };
  };
  uncheck(selector: string): Promise<void>;
  fill(selector: string, value: string): Promise<void>;
  evaluate<T>(fn: () => T): Promise<T>;
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
}
interface Route {
  request(): { url(): string };
  continue(): Promise<void>;
  abort(): Promise<void>;
}
interface Context {
  pages(): Page[];
  newPage(): Promise<Page>;
  route(pattern: string, handler: (route: Route) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}
interface Chromium {
  launchPersistentContext(dir: string, options: object): Promise<Context>;
}

async function loadChromium(): Promise<Chromium | undefined> {
  const name = 'playwright-core';
  try {
    return ((await import(name)) as { chromium: Chromium }).chromium;
  } catch {
    return undefined;
  }
}

/** Each cost card's boxes as laid out: top edge, and whether any content spills out of its box. */
function costBoxes(page: Page): Promise<Array<Array<{ top: number; spills: boolean; text: string }>>> {
  return page.evaluate(
    new Function(
      `return Array.from(document.querySelectorAll('#overview .costs')).map((card) =>
        Array.from(card.querySelectorAll('.cost')).map((box) => ({
          top: box.getBoundingClientRect().top,
          spills: box.scrollWidth > box.clientWidth,
          text: box.innerText,
        })));`,
    ) as () => Array<Array<{ top: number; spills: boolean; text: string }>>,
  );
}

/** Rows of this kind that are displayed (not hidden by a checkbox or the filter). */
function visibleRows(page: Page, selector: string): Promise<string[]> {
  return page.evaluate(
    new Function(
      `return Array.from(document.querySelectorAll(${JSON.stringify(selector)}))
        .filter((row) => getComputedStyle(row).display !== 'none')
        .map((row) => row.textContent);`,
    ) as () => string[],
  );
}

describe('HTML report in headless Chromium', function () {
  this.timeout(60_000);

  it('renders verdicts, credentials, cost cards and both timelines, and its filters hide rows', async function () {
    const chromium = existsSync(CHROMIUM) ? await loadChromium() : undefined;
    if (!chromium) {
      this.test!.title += existsSync(CHROMIUM)
        ? ' (skipped: playwright-core is not installed)'
        : ` (skipped: ${CHROMIUM} is absent; apt-get install chromium)`;
      this.skip();
    }
    const pki = await sharedTestPki();
    const mbedtls = await mbedtlsSessionTrace(await captureTlsSession(pki, MESSAGE));
    const offload = await offloadSessionTrace(pki, MESSAGE);
    mkdirSync(OUT, { recursive: true });
    const report = join(OUT, 'report.html');
    // As the demo writes it: each run with the costs the runner measured (figures of real runs).
    writeHtmlReport(
      [
        { analysis: analyzeTrace(mbedtls.trace), costs: mbedtlsCosts() },
        {
          analysis: analyzeTrace(offload.trace),
          costs: offloadReconnectCosts(),
          connections: RECONNECT_CONNECTIONS,
        },
      ],
      report,
    );

    const profile = mkdtempSync(join(tmpdir(), 'tlssim-chromium-'));
    const context = await chromium!.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 1000 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      // A self-contained report asks for nothing but itself.
      const fetched: string[] = [];
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        fetched.push(url);
        return route.abort();
      });
      const page = context.pages()[0] ?? (await context.newPage());
      const errors: Error[] = [];
      page.on('pageerror', (error) => errors.push(error));
      await page.goto(pathToFileURL(report).href);

      expect(await page.title()).to.equal('tlssim UART report: tls-echo (mbedtls) vs tls-echo (offload)');
      const verdicts = await page.locator('#overview .verdict').allTextContents();
      expect(verdicts).to.include.members([
        'TLS on the MCU',
        'no plaintext on the UART',
        'no private key on the UART',
        'TLS in the modem',
        `plaintext on the UART: ${2 * MESSAGE.length} B`,
        'private key crossed the UART (1)',
      ]);
      expect(await page.locator('#run-2 .phase.upload').count()).to.equal(3);
      // The key is the alarm; the certificates (the CA, the client's own) are public, and look it.
      expect(await page.locator('#run-2 .badge.secret').allTextContents()).to.deep.equal([
        '⚠ PRIVATE KEY (RSA PRIVATE KEY)',
      ]);
      expect(await page.locator('#run-2 .badge.cert').allTextContents()).to.deep.equal([
        'ℹ certificate (public) (CERTIFICATE)',
        'ℹ certificate (public) (CERTIFICATE)',
      ]);
      expect(await page.locator('#run-2 .phase.plaintext .text').allTextContents()).to.deep.equal([
        MESSAGE,
        MESSAGE,
      ]);
      expect(await page.locator('#run-1 .phase.plaintext').count()).to.equal(0);
      expect(await page.locator('#run-1 .phase.tls').count()).to.be.greaterThan(5);
      expect(await page.locator('#summary td.flag').allTextContents()).to.deep.equal([
        `${2 * MESSAGE.length} (tx ${MESSAGE.length} / rx ${MESSAGE.length})`,
        '1',
      ]);
      await page.screenshot({ path: join(OUT, 'report-overview.png') });

      // The cost cards: four boxes side by side, nothing spilling out, the measured figures shown.
      const [mbedtlsCard, offloadCard] = await costBoxes(page);
      for (const card of [mbedtlsCard, offloadCard]) {
        expect(card.map((box) => box.text.split('\n')[0])).to.deep.equal([
          'MCU TLS MEMORY',
          'UART',
          'OVER THE AIR (UP / DOWN)',
          'TLS HANDSHAKES',
        ]);
        expect(new Set(card.map((box) => box.top)).size, JSON.stringify(card)).to.equal(1); // at 1400 px
        expect(card.filter((box) => box.spills)).to.deep.equal([]);
      }
      expect(mbedtlsCard[0].text).to.match(/Mbed TLS heap, peak\s+49,102 B/);
      expect(mbedtlsCard[2].text).to.match(/TLS handshake\s+400 \/ 2,446 B \(75 %\)/);
      expect(offloadCard[0].text).to.match(/Mbed TLS heap, peak\s+0 B/);
      expect(offloadCard[0].text).to.match(/credentials handed over\s+1,229 B/);
      expect(offloadCard[0].text).to.include('TLS runs in the modem');
      expect(offloadCard[3].text).to.match(/connection 1 \(full\), air\s+3,527 B/);
      expect(offloadCard[3].text).to.match(/connection 2 \(resumed\), air\s+1,324 B/);
      await page.locator('#overview .costs').first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(OUT, 'report-costs.png') });

      await page.uncheck('input[data-hide="at"]');
      expect(await visibleRows(page, 'tr.row.at')).to.deep.equal([]);
      expect((await visibleRows(page, 'tr.row.data')).length).to.be.greaterThan(10);
      await page.fill('#filter', 'ClientHello');
      const matching = await visibleRows(page, 'tr.row');
      // The ClientHello went out in two sends (cut inside its record header): both rows match.
      expect(matching).to.have.length(2);
      expect(matching[0]).to.include(`ClientHello (SNI ${pki.servers.echo.hostname})`);
      expect(matching[1]).to.include('rest of ClientHello');
      await page.fill('#filter', '');
      await page.locator('#run-2 .phase.upload').first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(OUT, 'report-offload-timeline.png') });

      expect(errors.map(String)).to.deep.equal([]);
      expect(fetched).to.deep.equal([]);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
