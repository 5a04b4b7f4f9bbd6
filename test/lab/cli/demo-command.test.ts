// `tlssim demo` (npm start): both modes through real processes, and the side-by-side answer: what
// crosses the UART, and what each placement costs (docs/costs.md).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const CLI = fileURLToPath(new URL('../../../bin/tlssim.mjs', import.meta.url));

/** "49 102 B" → 49102: the demo groups digits with spaces. */
const bytes = (text: string) => Number(text.replace(/ /g, ''));

describe('tlssim demo', function () {
  this.timeout(180_000);

  let stdout = '';
  let out = '';
  before(() => {
    out = mkdtempSync(join(tmpdir(), 'tlssim-demo-'));
    const run = spawnSync(process.execPath, [CLI, 'demo', '--out', out, '--baud', '921600'], {
      encoding: 'utf8',
    });
    expect(run.status, run.stdout + run.stderr).to.equal(0);
    stdout = run.stdout;
  });
  const row = (label: string) => stdout.split('\n').find((l) => l.trim().startsWith(label)) ?? '';
  /** The row's two cells, split on the table's three-space gutter. */
  const cells = (label: string) => {
    const [, mbedtls = '', offload = ''] = row(label).trim().split(/ {3,}/);
    return { mbedtls, offload };
  };

  it('shows that offload puts the message and the private key on the UART and mbedtls does not', () => {
    expect(row('TLS runs in')).to.match(/MCU \(Mbed TLS\)\s+modem \(AT\+QSSL\*\)/);
    expect(row('message visible on the UART')).to.match(/no \(ciphertext only\)\s+YES, in clear/);
    expect(row('client private key on the UART')).to.match(/no\s+YES \(AT\+QFUPL upload\)/);
    expect(row('connect() time in the app')).to.match(/\d+ ms\s+\d+ ms/);
    const report = join(out, 'report.html');
    expect(existsSync(report)).to.equal(true);
    expect(readFileSync(report, 'utf8')).to.include('<html');
  });

  it('shows the MCU TLS heap: Mbed TLS’s record buffers in mbedtls mode, 0 and the credentials in offload', () => {
    const peak = cells('MCU TLS heap (peak)');
    const mbedtls = peak.mbedtls.match(/^([\d ]+) B$/);
    expect(mbedtls, peak.mbedtls).to.not.equal(null);
    expect(bytes(mbedtls![1])).to.be.greaterThan(32_768); // at least MBEDTLS_SSL_IN/OUT_CONTENT_LEN
    const offload = peak.offload.match(/^0 \+ ([\d ]+) B credentials$/);
    expect(offload, peak.offload).to.not.equal(null);
    expect(bytes(offload![1])).to.be.greaterThan(500); // the lab CA's PEM
    // The scenarios destroy their sockets, as Mbed OS's destructor would.
    expect(cells('MCU TLS heap after close')).to.deep.equal({ mbedtls: '0 B', offload: '0 B' });
  });

  it('shows bytes over the air with the handshake’s share', () => {
    for (const cell of Object.values(cells('bytes over the air up / down'))) {
      const [, up, down] = cell.match(/^([\d ]+) \/ ([\d ]+) B$/) ?? [];
      expect(bytes(up), cell).to.be.greaterThan(0);
      expect(bytes(down), cell).to.be.greaterThan(1000); // the server's certificate chain
    }
    for (const cell of Object.values(cells('of which TLS handshake'))) {
      const [, handshake, share] = cell.match(/^([\d ]+) B \((\d+) %\)$/) ?? [];
      expect(bytes(handshake), cell).to.be.greaterThan(1000);
      expect(Number(share), cell).to.be.within(1, 99);
    }
  });

  it('shows a resumed reconnect costing fewer air bytes than the full handshake, in both modes', () => {
    for (const cell of Object.values(cells('reconnect air bytes: full → resumed'))) {
      const [, full, resumed] = cell.match(/^([\d ]+) → ([\d ]+) B \(\d+ %\)$/) ?? [];
      expect(bytes(full), cell).to.be.greaterThan(0);
      expect(bytes(resumed), cell).to.be.greaterThan(0);
      expect(bytes(resumed), cell).to.be.lessThan(bytes(full));
    }
    for (const cell of Object.values(cells('reconnect connect(): full → resumed')))
      expect(cell).to.match(/^\d+ → \d+ ms$/);
  });

  it('fits the table and its notes in 100 columns', () => {
    // Only the lines that name the output folder grow with its path.
    const ours = stdout.split('\n').filter((line) => !line.includes(out));
    expect(ours.some((line) => line.includes('reconnect air bytes'))).to.equal(true);
    for (const line of ours) expect(line.length, line).to.be.at.most(100);
  });
});
