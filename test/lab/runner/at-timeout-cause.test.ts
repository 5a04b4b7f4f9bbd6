// A failed run explains itself: a 12 000-byte send at 115200 baud runs into the AT timeout (the
// driver's behaviour, kept: docs/deviations.md, "ATHandler"), and the result names the scenario's
// line, the cause with bytes, baud and line time against the timeout, the log files and mcu.log's end.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { progressLine } from '../../../lab/cli/run-report.ts';
import { junitXml } from '../../../lab/report/junit.ts';
import { atTimeoutCause } from '../../../lab/runner/at-timeout-cause.ts';
import { runMany } from '../../../lab/runner/run-many.ts';
import { loadScenario } from '../../../lab/runner/scenario-files.ts';
import { traceLines } from '../../../lab/runner/trace-lines.ts';
import { parseTrace } from '../../../shared/trace/trace-reader.ts';

/** A trace line for `data` in `dir` at `t` ms. */
const row = (t: number, dir: 'tx' | 'rx', data: string | Buffer) =>
  JSON.stringify({ t, dir, data: Buffer.from(data).toString('base64') });

describe('a failed run explains itself', function () {
  this.timeout(60_000);

  it('a 12 000-byte send at 115200 baud fails at the AT timeout, and the failure says why and where', async () => {
    const file = resolve('test/lab/runner/fixtures/long-send.ts');
    const outDir = mkdtempSync(join(tmpdir(), 'tlssim-long-send-'));
    const [result] = await runMany([{ file, scenario: await loadScenario(file), mode: 'mbedtls' }], {
      outDir,
      baud: 115200,
      pacing: true,
    });
    expect(result.status).to.equal('failed');
    expect(result.error).to.equal('send returned NSAPI_ERROR_DEVICE_ERROR (-3012), expected 12000');
    expect(result.where).to.match(/^test\/lab\/runner\/fixtures\/long-send\.ts:21:\d+$/);
    const cause = result.causes?.find((c) => c.startsWith('AT timeout during one send'));
    expect(cause, JSON.stringify(result.causes)).to.match(
      /AT\+QISEND chunks \(\d+ bytes; \d+ bytes = [\d.]+ s on the line at 115200 baud 8N1, 11520 B\/s\) had taken [\d.]+ s, and the 1 s AT timeout/,
    );
    for (const path of [result.logs.mcu, result.logs.modem, result.logs.trace])
      expect(existsSync(path)).to.equal(true);
    expect(result.mcuLogTail?.some((line) => line.includes('within the AT timeout'))).to.equal(true);
    const progress = progressLine(result, 1, 1);
    for (const text of [
      `at: ${result.where}`,
      `cause: ${cause}`,
      `mcu.log: ${result.logs.mcu}`,
      `modem.log: ${result.logs.modem}`,
    ])
      expect(progress).to.contain(text);
    const junit = junitXml([result]);
    expect(junit).to.contain(
      `<failure message="send returned NSAPI_ERROR_DEVICE_ERROR (-3012), expected 12000 (${result.where})">`,
    );
    expect(junit).to.match(
      /<system-out>trace: [^<]*\nmcu\.log \(last \d+ lines\):\n[^<]*within the AT timeout/,
    );
  });

  it('names the send exchange only when it had run for about the timeout', () => {
    const chunk = (t: number) => [
      row(t, 'tx', 'AT+QISEND=0,1460\r'),
      row(t + 1, 'tx', Buffer.alloc(1460, 0x41)),
    ];
    const header = JSON.stringify({ format: 'tlssim-uart-trace', version: 1, baud: 115200, frame: '8N1' });
    const long = parseTrace(
      [header, row(0, 'tx', 'AT+QISEND=0,0\r'), ...[5, 135, 265, 395, 525, 655, 785].flatMap(chunk)].join(
        '\n',
      ),
    );
    expect(atTimeoutCause(traceLines(long), 115200, '8N1')).to.match(
      /^AT timeout during one send: 7 AT\+QISEND chunks \(10220 bytes; /,
    );
    const short = parseTrace(
      [header, ...[5, 135].flatMap(chunk), row(300, 'tx', 'AT+QIRD=0,1500\r')].join('\n'),
    );
    expect(atTimeoutCause(traceLines(short), 115200, '8N1')).to.equal(
      'AT timeout: no complete answer within the 1 s AT timeout (last command on the UART: AT+QIRD=0,1500)',
    );
  });
});
