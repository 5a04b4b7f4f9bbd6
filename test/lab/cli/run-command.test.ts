// `tlssim run` as CI uses it: exit codes, --json, --junit, and failures that stay contained.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const CLI = fileURLToPath(new URL('../../../bin/tlssim.mjs', import.meta.url));

function tlssim(args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('tlssim run', function () {
  this.timeout(120_000);

  it('exits 0 and writes --json and --junit for passing scenarios', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlssim-run-cli-'));
    const junit = join(dir, 'junit.xml');
    const run = tlssim([
      'run',
      'scenarios/plain-tcp-echo.ts',
      'scenarios/greentea/tlssocket-open-twice.ts',
      'test/lab/runner/fixtures/offload-only.ts',
      '--mode',
      'mbedtls',
      '--seed',
      '7',
      '--no-pacing',
      '--json',
      '--junit',
      junit,
      '--out',
      dir,
    ]);
    expect(run.code, run.stderr).to.equal(0);
    const json = JSON.parse(run.stdout.trim().split('\n').at(-1) as string);
    expect(json).to.include({ passed: 2, failed: 0, skipped: 1, seed: 7 });
    expect(json.skippedRuns).to.deep.equal([
      {
        scenario: 'fixture-offload-only',
        file: resolve('test/lab/runner/fixtures/offload-only.ts'),
        mode: 'mbedtls',
        reason: 'runs only in offload (its modes or mbed_app.json)',
      },
    ]);
    for (const r of json.results) {
      expect(r).to.have.keys(
        'scenario',
        'file',
        'mode',
        'status',
        'durationMs',
        'clock',
        'simulatedMs',
        'phases',
        'trace',
        'logs',
        'metrics',
        'costs',
        'link',
      );
      // Simulated time by default; the phases cover the host time the run took.
      expect(r.clock).to.equal('simulated');
      expect(r.simulatedMs).to.be.a('number').at.least(0); // --no-pacing: the line takes no time
      expect(Object.keys(r.phases)).to.deep.equal(['setupMs', 'spawnMs', 'powerUpMs', 'appMs', 'teardownMs']);
      const phaseSum = Object.values(r.phases as Record<string, number>).reduce((a, b) => a + b, 0);
      expect(phaseSum).to.be.at.most(r.durationMs + 5);
      expect(readFileSync(r.logs.mcu, 'utf8')).to.contain('[INFO]');
      expect(readFileSync(r.logs.modem, 'utf8')).to.contain('[INFO]');
      expect(r.logs.trace).to.equal(r.trace);
    }
    expect(json.results.map((r: { scenario: string }) => r.scenario).sort()).to.deep.equal([
      'TLSSOCKET_OPEN_TWICE',
      'plain-tcp-echo',
    ]);
    for (const r of json.results)
      expect(readFileSync(r.trace, 'utf8')).to.match(/^\{"format":"tlssim-uart-trace"/);
    // An independent XML parser must accept it.
    const check = spawnSync(
      'python3',
      [
        '-c',
        `
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suite = root.find('testsuite')
print(root.tag, suite.get('tests'), suite.get('failures'), suite.get('skipped'), len(suite.findall('testcase')), len(suite.findall('testcase/skipped')))`,
        junit,
      ],
      { encoding: 'utf8' },
    );
    expect(check.stdout.trim()).to.equal('testsuites 3 0 1 3 1');
    // Each run's clock, simulated time and host-time phases are JUnit properties too.
    const xmlText = readFileSync(junit, 'utf8');
    expect(xmlText.match(/<property name="clock" value="simulated"\/>/g)).to.have.length(2);
    expect(xmlText).to.match(/<property name="phases\.appMs" value="\d+"\/>/);
  });

  it('reports each failing scenario with its step and code, keeps going, and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlssim-run-cli-'));
    const junit = join(dir, 'junit.xml');
    const run = tlssim([
      'run',
      'test/fixtures/scenarios',
      'scenarios/greentea/tlssocket-open-twice.ts',
      '--mode',
      'mbedtls',
      '--no-pacing',
      '--junit',
      junit,
      '--out',
      dir,
    ]);
    expect(run.code, run.stdout + run.stderr).to.equal(1);
    expect(run.stdout).to.match(
      /FAIL fixture-fails-with-code \(mbedtls\)[\s\S]*step: send on an unconnected socket[\s\S]*NSAPI_ERROR_NO_CONNECTION \(-3004\)/,
    );
    expect(run.stdout).to.match(/FAIL fixture-hangs \(mbedtls\)[\s\S]*timed out after 4 s/);
    expect(run.stdout).to.match(/FAIL fixture-kills-mcu \(mbedtls\)[\s\S]*MCU process exited \(3\)/);
    expect(run.stdout).to.match(/PASS TLSSOCKET_OPEN_TWICE/);
    expect(run.stdout).to.match(
      /FAIL bad-definition[\s\S]*step: load the scenario[\s\S]*unknown mode "offlaod"[\s\S]*unknown server "tls-ehco"/,
    );
    expect(run.stdout).to.match(/FAIL throws-at-load[\s\S]*throws-at-load\.ts: top-level boom/);
    expect(run.stdout).to.match(/1 passed, 5 failed, 0 skipped/);
    // A failure carries the scenario's line and the run's log files.
    expect(run.stdout).to.match(
      /FAIL fixture-fails-with-code[\s\S]*at: test\/fixtures\/scenarios\/[\w-]+\.ts:\d+:\d+\n\s+mcu\.log: \S+mcu\.log\n\s+modem\.log: \S+modem\.log/,
    );
    // Runs that failed are <failure>; files that did not load never ran: <error>.
    const xml = readFileSync(junit, 'utf8');
    expect(xml.match(/<failure message=/g)).to.have.length(3);
    expect(xml.match(/<error message=/g)).to.have.length(2);
    expect(xml).to.contain('failures="3" errors="2" skipped="0"');
  });

  it('refuses two scenario files with the same name (their runs would share a folder) with exit 2', () => {
    const run = tlssim([
      'run',
      'scenarios/connect-secure-server.ts',
      'test/fixtures/duplicate-name/connect-secure-server-copy.ts',
    ]);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/both named "connect-secure-server"/);
  });

  it('exits 2 on a usage error', () => {
    expect(tlssim(['run', '--mode', 'sideways']).code).to.equal(2);
    expect(tlssim(['run', 'no/such/folder']).code).to.equal(2);
    expect(tlssim(['frobnicate']).code).to.equal(2);
  });
});
