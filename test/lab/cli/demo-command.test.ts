// `tlssim demo` (npm start): both modes through real processes, and the side-by-side answer.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const CLI = fileURLToPath(new URL('../../../bin/tlssim.mjs', import.meta.url));

describe('tlssim demo', function () {
  this.timeout(180_000);

  it('shows that offload puts the message and the private key on the UART and mbedtls does not', () => {
    const out = mkdtempSync(join(tmpdir(), 'tlssim-demo-'));
    const run = spawnSync(process.execPath, [CLI, 'demo', '--out', out, '--baud', '921600'], {
      encoding: 'utf8',
    });
    expect(run.status, run.stdout + run.stderr).to.equal(0);
    const row = (label: string) => run.stdout.split('\n').find((l) => l.trim().startsWith(label)) ?? '';
    expect(row('TLS runs in')).to.match(/MCU \(Mbed TLS\)\s+modem \(AT\+QSSL\*\)/);
    expect(row('message visible on the UART')).to.match(/no \(ciphertext only\)\s+YES, in clear/);
    expect(row('client private key on the UART')).to.match(/no\s+YES \(AT\+QFUPL upload\)/);
    expect(row('connect() time in the app')).to.match(/\d+ ms\s+\d+ ms/);
    const report = join(out, 'report.html');
    expect(existsSync(report)).to.equal(true);
    expect(readFileSync(report, 'utf8')).to.include('<html');
  });
});
