import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { UsageError } from '../../../lab/cli/cli-args.ts';
import { traceCommand } from '../../../lab/cli/trace-command.ts';
import { sharedTestPki } from '../pki/shared-test-pki.ts';
import { mbedtlsSessionTrace, offloadSessionTrace } from '../trace/helpers/session-traces.ts';
import { captureTlsSession } from '../trace/helpers/tls-capture.ts';

interface Outcome {
  code: number;
  out: string;
  err: string;
}

/** Runs the command as `tlssim` would (a UsageError is exit code 2), capturing what it prints. */
async function trace(...argv: string[]): Promise<Outcome> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { log: console.log, error: console.error, write: process.stdout.write };
  console.log = (...args: unknown[]) => out.push(`${args.join(' ')}\n`);
  console.error = (...args: unknown[]) => err.push(`${args.join(' ')}\n`);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await traceCommand.run(argv);
    return { code, out: out.join(''), err: err.join('') };
  } catch (error) {
    if (error instanceof UsageError) return { code: 2, out: out.join(''), err: error.message };
    throw error;
  } finally {
    Object.assign(console, { log: saved.log, error: saved.error });
    process.stdout.write = saved.write;
  }
}

const MESSAGE = 'meter reading 4711 kWh';

describe('tlssim trace', () => {
  let mbedtls: string;
  let offload: string;

  before(async () => {
    const pki = await sharedTestPki();
    mbedtls = (await mbedtlsSessionTrace(await captureTlsSession(pki, MESSAGE))).file;
    offload = (await offloadSessionTrace(pki, MESSAGE)).file;
  });

  it('prints the annotated transcript of a trace file or of the run folder holding it', async () => {
    const byFile = await trace(offload);
    expect(byFile.code).to.equal(0);
    expect(byFile.out).to.match(/^tlssim trace: tls-echo \(offload\), 115200 8N1/);
    // Each command with its latency column: from its first byte to its final result.
    expect(byFile.out).to.match(
      /\d+\.\d{3} {2}tx {2}AT\+QSSLOPEN=1,0,0,"127\.0\.0\.1",4433,0 +⏱ \d+\.\d{3} ms OK\n/,
    );
    expect(byFile.out).to.match(/ℹ certificate \(public\) \(CERTIFICATE\)/);
    expect(byFile.out).not.to.match(/⚠ certificate/i);
    expect(byFile.out).to.match(/rx {2}\+QSSLOPEN: 0,0 +\[URC\]/);
    expect(byFile.out).to.include(`PLAINTEXT "${MESSAGE}"`);
    expect(byFile.out).to.include('⚠ PRIVATE KEY (RSA PRIVATE KEY)');
    const byFolder = await trace(dirname(offload));
    expect(byFolder.out).to.equal(byFile.out);
  });

  it('--json prints the summary figures', async () => {
    const { code, out } = await trace(mbedtls, '--json');
    expect(code).to.equal(0);
    const summary = JSON.parse(out);
    expect(summary).to.include({ label: 'tls-echo (mbedtls)', mode: 'mbedtls', file: mbedtls });
    expect(summary.plaintextBytes.total).to.equal(0);
    expect(summary.tlsBytes.total).to.be.greaterThan(0);
    expect(summary.bytes.total).to.equal(summary.atOverheadBytes.total + summary.tlsBytes.total);
    expect(summary.secrets).to.deep.equal({ privateKeys: 0, certificates: 0, seen: [] });
    expect(summary.recordsByType.handshake).to.be.greaterThan(3);
    expect(summary.commandsByName['AT+QIRD']).to.be.greaterThan(1);
  });

  it('--json also lists the events: commands with their latency, lines, data phases', async () => {
    const { events } = JSON.parse((await trace(offload, '--json')).out);
    const open = events.find((e: { name?: string }) => e.name === 'AT+QSSLOPEN');
    expect(open).to.include({ kind: 'command', dir: 'tx', result: 'OK' });
    expect(open.latencyMs).to.be.a('number').and.to.be.at.least(0);
    expect(events.find((e: { urc?: string }) => e.urc?.includes('QSSLOPEN'))).to.include({ role: 'urc' });
    const sends = events.filter((e: { via?: string }) => e.via === 'QSSLSEND');
    expect(sends[0]).to.include({ kind: 'data', category: 'plaintext', bytes: MESSAGE.length });
    const times = events.map((e: { t: number }) => e.t);
    expect(times).to.deep.equal([...times].sort((a, b) => a - b));
  });

  it('--compare puts the two modes side by side and flags what crossed in clear', async () => {
    const { code, out } = await trace(mbedtls, '--compare', offload);
    expect(code).to.equal(0);
    expect(out).to.match(/^run +A: tls-echo \(mbedtls\) +B: tls-echo \(offload\)$/m);
    expect(out).to.match(/^private keys seen +0 +1 ⚠$/m);
    expect(out).to.match(
      new RegExp(`^plaintext bytes +0 \\(tx 0 / rx 0\\) +${2 * MESSAGE.length} \\(tx`, 'm'),
    );
    expect(out).to.match(/^ {2}AT\+QSSLSEND +0 +1$/m);
    const json = JSON.parse((await trace(mbedtls, '--compare', offload, '--json')).out);
    expect(json.runs.map((r: { mode: string }) => r.mode)).to.deep.equal(['mbedtls', 'offload']);
  });

  it('--html writes the report and says where', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'tlssim-trace-html-')), 'sub', 'report.html');
    const result = await trace(mbedtls, '--compare', offload, '--html', out);
    expect(result.code).to.equal(0);
    expect(result.out).to.include(`HTML report: ${out}`);
    expect(existsSync(out)).to.equal(true);
    const html = readFileSync(out, 'utf8');
    expect(html).to.include('tls-echo (mbedtls)').and.to.include('tls-echo (offload)');
    // With --json the path goes to stderr, so stdout stays parseable.
    const quiet = await trace(offload, '--json', '--html', out);
    expect(() => JSON.parse(quiet.out)).not.to.throw();
    expect(quiet.err).to.include('HTML report:');
  });

  it('rejects a malformed trace with exit code 2 and the line at fault', async () => {
    const lines = readFileSync(offload, 'utf8').split('\n');
    lines[2] = '{"t":1,"dir":"sideways","data":""}';
    const bad = join(mkdtempSync(join(tmpdir(), 'tlssim-trace-bad-')), 'uart.jsonl');
    writeFileSync(bad, lines.join('\n'));
    const result = await trace(bad);
    expect(result.code).to.equal(2);
    expect(result.err).to.equal(
      `malformed trace: ${bad}:3: expected {"t":<ms>,"dir":"tx"|"rx","data":"<base64>"}`,
    );
    expect((await trace(mbedtls, '--compare', bad)).err).to.include(`${bad}:3:`);
  });

  it('given a scenario folder with both modes, compares them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlssim-trace-scn-'));
    for (const [mode, file] of [
      ['mbedtls', mbedtls],
      ['offload', offload],
    ] as const) {
      mkdirSync(join(dir, mode));
      copyFileSync(file, join(dir, mode, 'uart.jsonl'));
    }
    const both = await trace(dir);
    expect(both.code).to.equal(0);
    expect(both.out).to.match(/A: .*\(mbedtls\)\s+B: .*\(offload\)/);
  });

  it('answers --help, and misuse with exit code 2', async () => {
    const help = await trace('--help');
    expect(help.code).to.equal(0);
    expect(help.out).to.include(
      'Usage: tlssim trace FILE|RUN_DIR|SCENARIO_DIR [--compare FILE2] [--json] [--html OUT]',
    );
    expect((await trace()).code).to.equal(2);
    expect((await trace(mbedtls, offload)).code).to.equal(2);
    expect((await trace(mbedtls, '--colour')).err).to.include("Unknown option '--colour'");
    const missing = await trace('/nonexistent/uart.jsonl');
    expect(missing).to.include({ code: 2, err: '/nonexistent/uart.jsonl: no such file' });
  });
});
