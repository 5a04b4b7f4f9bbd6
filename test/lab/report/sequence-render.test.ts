// The sequence diagram of a real run (offload mode, through real processes, with network.jsonl beside
// the trace) in headless Chromium: five lanes, AT exchanges across the UART, the modem's TCP and TLS
// bytes across the network, both on one clock. The screenshot lands in
// out/test/lab/report/sequence-diagram.png.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { writeHtmlReport } from '../../../lab/report/html-report.ts';
import { runMany } from '../../../lab/runner/run-many.ts';
import { loadScenario } from '../../../lab/runner/scenario-files.ts';
import { analyzeTraceFile } from '../../../lab/trace/trace-file.ts';

const CHROMIUM = '/usr/bin/chromium';
const OUT = fileURLToPath(new URL('../../../out/test/lab/report/', import.meta.url));
const FIXTURE = resolve('test/fixtures/capture/capture-tls.ts');

// What this test uses of playwright-core (it type-checks without it installed).
interface Locator {
  count(): Promise<number>;
  allTextContents(): Promise<string[]>;
  first(): Locator;
  scrollIntoViewIfNeeded(): Promise<void>;
  screenshot(options: { path: string }): Promise<unknown>;
}
interface Page {
  goto(url: string): Promise<unknown>;
  on(event: 'pageerror', listener: (error: Error) => void): void;
  locator(selector: string): Locator;
}
interface Context {
  pages(): Page[];
  newPage(): Promise<Page>;
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

describe('HTML report: sequence diagram in headless Chromium (real run)', function () {
  this.timeout(120_000);

  it('draws MCU | UART | modem | network | server, the network events between the right AT lines', async function () {
    const chromium = existsSync(CHROMIUM) ? await loadChromium() : undefined;
    if (!chromium) this.skip();
    const runs = mkdtempSync(join(tmpdir(), 'tlssim-sequence-'));
    const profile = mkdtempSync(join(tmpdir(), 'tlssim-chromium-'));
    try {
      const scenario = await loadScenario(FIXTURE);
      const [result] = await runMany([{ file: FIXTURE, scenario, mode: 'offload' }], {
        outDir: runs,
        baud: 115200,
        pacing: true,
      });
      expect(result.status, result.error).to.equal('passed');
      mkdirSync(OUT, { recursive: true });
      const report = join(OUT, 'sequence.html');
      writeHtmlReport([analyzeTraceFile(result.dir)], report);

      const context = await chromium!.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1100, height: 900 },
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
        ],
      });
      try {
        const page = context.pages()[0] ?? (await context.newPage());
        const errors: Error[] = [];
        page.on('pageerror', (error) => errors.push(error));
        await page.goto(pathToFileURL(report).href);
        const sequence = '#run-1 .sequence';
        expect(await page.locator(`${sequence} .lane`).allTextContents()).to.deep.equal([
          'MCU',
          'UART',
          'modem',
          'network',
          'server',
        ]);
        const labels = await page.locator(`${sequence} .seq .label`).allTextContents();
        const index = (predicate: (label: string) => boolean) => labels.findIndex(predicate);
        const qsslopen = index((l) => l.startsWith('AT+QSSLOPEN='));
        const connect = index((l) => l.startsWith('TCP connect'));
        const opened = index((l) => l.startsWith('+QSSLOPEN: 0,0'));
        // One clock: the modem's TCP connect and its TLS handshake happen between the command and its URC.
        expect(qsslopen, labels.join('\n')).to.be.greaterThan(-1);
        expect(connect).to.be.greaterThan(qsslopen);
        expect(opened).to.be.greaterThan(connect);
        expect(labels.slice(connect, opened).filter((l) => /^TCP \d+ B$/.test(l)).length).to.be.at.least(4);
        expect(await page.locator(`${sequence} .seq.net`).count()).to.be.greaterThan(6);
        expect(await page.locator(`${sequence} .seq.plaintext`).count()).to.be.at.least(2);
        // The CA upload is public: drawn as a certificate, not with the private key's alarm.
        expect(await page.locator(`${sequence} .seq.certificate`).count()).to.equal(1);
        expect(await page.locator(`${sequence} .seq.upload`).count()).to.equal(0);
        expect(labels.filter((l) => l === 'FIN').length).to.be.at.least(1);
        await page.locator(sequence).first().scrollIntoViewIfNeeded();
        await page
          .locator(sequence)
          .first()
          .screenshot({ path: join(OUT, 'sequence-diagram.png') });
        expect(errors.map(String)).to.deep.equal([]);
      } finally {
        await context.close();
      }
    } finally {
      rmSync(runs, { recursive: true, force: true });
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
