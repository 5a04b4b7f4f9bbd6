// `tlssim trace` analyses as it reads (lab/trace/analysis-stream.ts): what it prints must be, byte for
// byte, what the analysis held whole renders, for the transcript, --json (whose event list goes through
// a temporary file past 256 KB) and --compare --json.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { writeSyntheticTrace } from '../../../bench/synthetic-trace.ts';
import { UsageError } from '../../../lab/cli/cli-args.ts';
import { traceCommand } from '../../../lab/cli/trace-command.ts';
import type { TraceAnalysis } from '../../../lab/trace/analysis-types.ts';
import { traceEvents } from '../../../lab/trace/event-list.ts';
import { analyzeTraceFile } from '../../../lab/trace/trace-file.ts';
import { renderTranscript } from '../../../lab/trace/transcript.ts';
import { sharedTestPki } from '../pki/shared-test-pki.ts';
import { mbedtlsSessionTrace, offloadSessionTrace } from '../trace/helpers/session-traces.ts';
import { captureTlsSession } from '../trace/helpers/tls-capture.ts';

/** What the command writes to stdout, and its exit code (2 for a usage error). */
async function stdoutOf(...argv: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const saved = { log: console.log, error: console.error, write: process.stdout.write };
  console.log = (...args: unknown[]) => out.push(`${args.join(' ')}\n`);
  console.error = () => {};
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    return { code: await traceCommand.run(argv), out: out.join('') };
  } catch (error) {
    if (error instanceof UsageError) return { code: 2, out: out.join('') };
    throw error;
  } finally {
    Object.assign(console, { log: saved.log, error: saved.error });
    process.stdout.write = saved.write;
  }
}

const heldJson = (a: TraceAnalysis) => ({ ...a.summary, events: traceEvents(a) });

/** A short run with the wire's fault marks among its lines, one of them after the last chunk. */
function faultedTrace(dir: string): string {
  const file = join(dir, 'faulted.jsonl');
  const chunk = (t: number, dir: string, text: string) =>
    JSON.stringify({ t, dir, data: Buffer.from(text, 'latin1').toString('base64') });
  const fault = (t: number, dir: string, kind: string, offset: number, detail: object) =>
    JSON.stringify({ t, dir, fault: kind, offset, detail });
  const lines = [
    JSON.stringify({
      format: 'tlssim-uart-trace',
      version: 1,
      baud: 115200,
      frame: '8N1',
      started: 'x',
      clock: 'simulated',
    }),
    chunk(0, 'tx', 'AT\r'),
    fault(0.5, 'rx', 'noise', 0, { byte: 0x55 }),
    chunk(1, 'rx', 'U\r\nOK\r\n'),
    chunk(2, 'tx', 'AT+QISEND=0,5\r'),
    chunk(3, 'rx', '\r\n> '),
    fault(3, 'tx', 'bit-flip', 20, { sent: 0x68, mask: 1 }),
    chunk(4, 'tx', 'iello'),
    chunk(5, 'rx', '\r\nSEND OK\r\n'),
    fault(9, 'tx', 'stall', 25, { ms: 3 }),
  ];
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('tlssim trace streams, printing what the held analysis renders', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'tlssim-trace-streaming-'));
  const files: string[] = [];

  before(async () => {
    const pki = await sharedTestPki();
    const capture = await captureTlsSession(pki, 'meter reading 4711 kWh');
    files.push((await mbedtlsSessionTrace(capture, 17)).file);
    files.push((await offloadSessionTrace(pki, 'meter reading 4711 kWh', 23)).file);
    files.push(faultedTrace(dir));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the transcript', async () => {
    for (const file of files) {
      const { code, out } = await stdoutOf(file);
      expect(code).to.equal(0);
      expect(out).to.equal(renderTranscript(analyzeTraceFile(file)));
    }
    expect((await stdoutOf(files[2])).out).to.match(/⚡ noise byte inserted at rx byte 0: 0x55\n.*\n.*OK/);
  });

  it('--json and --compare --json', async () => {
    for (const file of files) {
      const { out } = await stdoutOf(file, '--json');
      expect(out).to.equal(`${JSON.stringify(heldJson(analyzeTraceFile(file)), null, 2)}\n`);
    }
    const { out } = await stdoutOf(files[0], '--compare', files[1], '--json');
    const runs = { runs: [files[0], files[1]].map((f) => heldJson(analyzeTraceFile(f))) };
    expect(out).to.equal(`${JSON.stringify(runs, null, 2)}\n`);
  });

  it('--json of a run whose event list goes through the spool file, and of a run with no events', async () => {
    const long = join(dir, 'long.jsonl');
    writeSyntheticTrace(long, 3_000_000);
    const { out } = await stdoutOf(long, '--json');
    expect(out.length).to.be.greaterThan(1 << 19);
    expect(out).to.equal(`${JSON.stringify(heldJson(analyzeTraceFile(long)), null, 2)}\n`);
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, `${readFileSync(files[0], 'utf8').split('\n')[0]}\n`);
    expect((await stdoutOf(empty, '--json')).out).to.equal(
      `${JSON.stringify(heldJson(analyzeTraceFile(empty)), null, 2)}\n`,
    );
  });

  it('--json of a trace malformed near its end prints nothing', async () => {
    const lines = readFileSync(files[0], 'utf8').trimEnd().split('\n');
    lines[lines.length - 2] = '{"t":1,"dir":"sideways","data":""}';
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${lines.join('\n')}\n`);
    expect(await stdoutOf(bad, '--json')).to.deep.equal({ code: 2, out: '' });
    expect(await stdoutOf(files[1], '--compare', bad, '--json')).to.deep.equal({ code: 2, out: '' });
  });
});
