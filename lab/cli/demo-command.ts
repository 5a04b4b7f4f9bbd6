// `tlssim demo` (what `npm start` runs): the seed's usage scenario in both modes through real processes,
// and a side-by-side answer to "what crosses the UART?".
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTrace } from '../../shared/trace/trace-reader.ts';
import { DEFAULT_BAUD_RATE } from '../../shared/uart/open-uart.ts';
import { writeHtmlReport } from '../report/html-report.ts';
import { type Job, runMany } from '../runner/run-many.ts';
import type { ScenarioResult } from '../runner/run-scenario.ts';
import { loadScenario } from '../runner/scenario-files.ts';
import { MODES, type Mode } from '../scenario/scenario-types.ts';
import type { TraceAnalysis } from '../trace/analysis-types.ts';
import { findInClear } from '../trace/clear-search.ts';
import { analyzeTrace } from '../trace/trace-analysis.ts';
import { type Command, intOption, parseCommandArgs } from './cli-args.ts';

const SCENARIOS = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const MESSAGE_SCENARIO = `${SCENARIOS}connect-secure-server.ts`;
const KEY_SCENARIO = `${SCENARIOS}mutual-tls.ts`;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'show both modes end to end: where TLS runs and what crosses the UART',
  usage: `Usage: tlssim demo [--out DIR] [--baud N]

Starts the lab, runs the seed's usage scenario (connect to a secure server and send a message) and the
mutual-TLS scenario in both modes, each through a real MCU process and a real modem process joined
by a UART paced at --baud (default ${DEFAULT_BAUD_RATE}), then prints what crossed the UART in each mode.
Traces and logs go to DIR (default out/demo).`,
  async run(argv) {
    const { values } = parseCommandArgs(this, argv, { out: { type: 'string' }, baud: { type: 'string' } });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const outDir = resolve(values.out ?? 'out/demo');
    const baud = intOption('baud', values.baud, DEFAULT_BAUD_RATE, 1);
    const message = (await import(MESSAGE_SCENARIO)).MESSAGE as string;
    const jobs: Job[] = [];
    for (const file of [MESSAGE_SCENARIO, KEY_SCENARIO]) {
      const scenario = await loadScenario(file);
      for (const mode of MODES) jobs.push({ file, scenario, mode });
    }
    console.log(
      `tlssim demo: 2 scenarios × 2 modes, MCU and modem as separate processes, UART at ${baud} baud 8N1\n`,
    );
    const results = await runMany(jobs, {
      outDir,
      baud,
      pacing: true,
      onResult: (r, done, total) =>
        console.log(
          `  [${done}/${total}] ${r.status === 'passed' ? 'ok  ' : 'FAIL'} ${r.scenario} (${r.mode})${r.error ? ` — ${r.step}: ${r.error}` : ''}`,
        ),
    });
    const failed = results.filter((r) => r.status === 'failed');
    const analysed = (result: ScenarioResult | undefined) =>
      result?.status === 'passed'
        ? analyzeTrace(readTrace(result.trace), {
            label: `${result.scenario} (${result.mode})`,
            file: result.trace,
          })
        : null;
    const row = (mode: Mode) => {
      const send = results.find((r) => r.mode === mode && r.file === MESSAGE_SCENARIO);
      const key = results.find((r) => r.mode === mode && r.file === KEY_SCENARIO);
      const sendAnalysis = analysed(send);
      const keyAnalysis = analysed(key);
      const summary = sendAnalysis?.summary ?? null;
      return {
        analyses: [sendAnalysis, keyAnalysis].filter((a): a is TraceAnalysis => a !== null),
        tls: mode === 'mbedtls' ? 'MCU (Mbed TLS)' : 'modem (AT+QSSL*)',
        message: !sendAnalysis
          ? 'n/a (run failed)'
          : findInClear(sendAnalysis, message).length
            ? 'YES, in clear'
            : 'no (ciphertext only)',
        key: !keyAnalysis
          ? 'n/a (run failed)'
          : keyAnalysis.summary.secrets.privateKeys > 0
            ? 'YES (AT+QFUPL upload)'
            : 'no',
        handshake: send?.metrics.handshakeMs === undefined ? 'n/a' : `${send.metrics.handshakeMs} ms`,
        bytes: summary ? `${summary.bytes.tx} / ${summary.bytes.rx}` : 'n/a',
      };
    };
    const rows = { mbedtls: row('mbedtls'), offload: row('offload') };
    const reportFile = `${outDir}/report.html`;
    writeHtmlReport([...rows.mbedtls.analyses, ...rows.offload.analyses], reportFile, {
      title: 'tlssim demo: mbedtls vs offload',
    });
    const lines: Array<[string, string, string]> = [
      ['', 'mbedtls mode', 'offload mode'],
      ['TLS runs in', rows.mbedtls.tls, rows.offload.tls],
      ['message visible on the UART', rows.mbedtls.message, rows.offload.message],
      ['client private key on the UART', rows.mbedtls.key, rows.offload.key],
      ['connect() time in the app', rows.mbedtls.handshake, rows.offload.handshake],
      ['UART bytes tx / rx (whole run)', rows.mbedtls.bytes, rows.offload.bytes],
    ];
    const w0 = Math.max(...lines.map((l) => l[0].length));
    const w1 = Math.max(...lines.map((l) => l[1].length));
    console.log('');
    for (const [a, b, c] of lines) console.log(`  ${a.padEnd(w0)}   ${b.padEnd(w1)}   ${c}`);
    console.log(`\n  message sent: ${JSON.stringify(message)}`);
    console.log(`  HTML report:  ${reportFile}`);
    console.log(`  runs:         ${outDir}/<scenario>/<mode>/ (uart.jsonl, mcu.log, modem.log)`);
    console.log(`  transcript:   node bin/tlssim.mjs trace ${outDir}/connect-secure-server/offload`);
    if (failed.length) {
      console.log(`\n${failed.length} run(s) failed; logs are beside the traces in ${outDir}`);
      return 1;
    }
    return 0;
  },
};
