// `tlssim demo` (what `npm start` runs): the seed's usage scenario, mutual TLS and a resumed reconnect in
// both modes through real processes, and a side-by-side answer to "what crosses the UART, and what does
// each placement cost?" (docs/costs.md).
import { join, resolve } from 'node:path';
import { packagePath } from '../../shared/package-root.ts';
import { readTrace } from '../../shared/trace/trace-reader.ts';
import { DEFAULT_BAUD_RATE } from '../../shared/uart/open-uart.ts';
import { groupDigits } from '../report/cost-figures.ts';
import { type DemoRow, demoCostRows } from '../report/demo-cost-rows.ts';
import { type ReportRun, writeHtmlReport } from '../report/html-report.ts';
import { readAirConnections } from '../runner/run-costs.ts';
import { type Job, runMany } from '../runner/run-many.ts';
import type { ScenarioResult } from '../runner/run-scenario.ts';
import { loadScenario } from '../runner/scenario-files.ts';
import { importScenario } from '../runner/scenario-import.ts';
import { MODES, type Mode } from '../scenario/scenario-types.ts';
import type { TraceAnalysis } from '../trace/analysis-types.ts';
import { findInClear } from '../trace/clear-search.ts';
import { analyzeTrace } from '../trace/trace-analysis.ts';
import { type Command, intOption, parseCommandArgs } from './cli-args.ts';

const SCENARIOS = packagePath('scenarios/');
const MESSAGE_SCENARIO = `${SCENARIOS}connect-secure-server.ts`;
const KEY_SCENARIO = `${SCENARIOS}mutual-tls.ts`;
const RECONNECT_SCENARIO = `${SCENARIOS}session-resumption.ts`;
const DEMO_SCENARIOS = [MESSAGE_SCENARIO, KEY_SCENARIO, RECONNECT_SCENARIO];

export const demoCommand: Command = {
  name: 'demo',
  summary: 'show both modes end to end: where TLS runs, what crosses the UART, what each costs',
  usage: `Usage: tlssim demo [--out DIR] [--baud N]

Starts the lab, runs the seed's usage scenario (connect to a secure server and send a message), the
mutual-TLS scenario and a reconnect that resumes its TLS session in both modes, each through a real
MCU process and a real modem process joined by a UART paced at --baud (default ${DEFAULT_BAUD_RATE}),
then prints side by side what crossed the UART in each mode and what each cost: the MCU's TLS heap,
bytes over the air, and the resumed reconnect. Traces, logs and air.jsonl go to DIR (default
out/demo), with an HTML report (report.html).

Examples:
  tlssim demo
  tlssim demo --baud 921600 --out /tmp/demo
  npm start`,
  async run(argv) {
    const { values } = parseCommandArgs(this, argv, { out: { type: 'string' }, baud: { type: 'string' } });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const outDir = resolve(values.out ?? 'out/demo');
    const baud = intOption('baud', values.baud, DEFAULT_BAUD_RATE, 1);
    const message = ((await importScenario(MESSAGE_SCENARIO)) as { MESSAGE: string }).MESSAGE;
    const jobs: Job[] = [];
    for (const file of DEMO_SCENARIOS) {
      const scenario = await loadScenario(file);
      for (const mode of MODES) jobs.push({ file, scenario, mode });
    }
    console.log(
      `tlssim demo: ${DEMO_SCENARIOS.length} scenarios × ${MODES.length} modes, MCU and modem as separate processes, UART at ${baud} baud 8N1\n`,
    );
    const results = await runMany(jobs, {
      outDir,
      baud,
      pacing: true,
      // Always a capture: the demo is where one opens a run in Wireshark first.
      pcap: true,
      onResult: (r, done, total) =>
        console.log(
          `  [${done}/${total}] ${r.status === 'passed' ? 'ok  ' : 'FAIL'} ${r.scenario} (${r.mode})${r.error ? ` — ${r.step}: ${r.error}` : ''}`,
        ),
    });
    const failed = results.filter((r) => r.status === 'failed');
    const find = (mode: Mode, file: string) => results.find((r) => r.mode === mode && r.file === file);
    const analyses = new Map<ScenarioResult, TraceAnalysis>();
    for (const result of results) {
      if (result.status !== 'passed') continue;
      const label = `${result.scenario} (${result.mode})`;
      analyses.set(result, analyzeTrace(readTrace(result.trace), { label, file: result.trace }));
    }
    const analysed = (result: ScenarioResult | undefined) => (result && analyses.get(result)) ?? null;
    const row = (mode: Mode) => {
      const send = find(mode, MESSAGE_SCENARIO);
      const sendAnalysis = analysed(send);
      const keyAnalysis = analysed(find(mode, KEY_SCENARIO));
      const summary = sendAnalysis?.summary ?? null;
      return {
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
        bytes: summary ? `${groupDigits(summary.bytes.tx)} / ${groupDigits(summary.bytes.rx)} B` : 'n/a',
        costs: { send, reconnect: find(mode, RECONNECT_SCENARIO) },
      };
    };
    const rows = { mbedtls: row('mbedtls'), offload: row('offload') };
    const reportFile = `${outDir}/report.html`;
    writeHtmlReport(reportRuns(results, analyses), reportFile, { title: 'tlssim demo: mbedtls vs offload' });
    const lines: DemoRow[] = [
      ['', 'mbedtls mode', 'offload mode'],
      ['TLS runs in', rows.mbedtls.tls, rows.offload.tls],
      ['message visible on the UART', rows.mbedtls.message, rows.offload.message],
      ['client private key on the UART', rows.mbedtls.key, rows.offload.key],
      ['connect() time in the app', rows.mbedtls.handshake, rows.offload.handshake],
      ['UART bytes tx / rx (whole run)', rows.mbedtls.bytes, rows.offload.bytes],
      ...demoCostRows(rows.mbedtls.costs, rows.offload.costs),
    ];
    // Short labels and cells keep the table within 100 columns (test/lab/cli/demo-command.test.ts).
    const w0 = Math.max(...lines.map((l) => l[0].length));
    const w1 = Math.max(...lines.map((l) => l[1].length));
    console.log('');
    for (const [a, b, c] of lines) console.log(`  ${a.padEnd(w0)}   ${b.padEnd(w1)}   ${c}`.trimEnd());
    console.log(`
  UART, heap and air rows: connect-secure-server; private key: mutual-tls; reconnect rows:
  session-resumption, its first connection (full handshake) then the second (resumed), with the
  second's share of the first. Offload runs no Mbed TLS on the MCU: what it holds for TLS is the
  CA, certificate and key it hands to the modem. Air bytes: payload + IP/TCP header estimate.
  Times are simulated at 115200 baud: the UART's line time and the link's delays, no CPU time
  (docs/simulated-time.md).`);
    console.log(`\n  message sent: ${JSON.stringify(message)}`);
    console.log(`  HTML report:  ${reportFile}`);
    console.log(`  runs:         ${outDir}/<scenario>/<mode>/ (uart.jsonl, air.jsonl, mcu.log, modem.log)`);
    console.log(`  transcript:   node bin/tlssim.mjs trace ${outDir}/connect-secure-server/offload`);
    if (failed.length) {
      console.log(`\n${failed.length} run(s) failed; logs are beside the traces in ${outDir}`);
      return 1;
    }
    return 0;
  },
};

/** The report shows every passed run, mode by mode, each with its cost card. */
function reportRuns(
  results: readonly ScenarioResult[],
  analyses: Map<ScenarioResult, TraceAnalysis>,
): ReportRun[] {
  const runs: ReportRun[] = [];
  for (const mode of MODES)
    for (const file of DEMO_SCENARIOS) {
      const result = results.find((r) => r.mode === mode && r.file === file);
      const analysis = result && analyses.get(result);
      if (!result || !analysis) continue;
      runs.push({
        analysis,
        costs: result.costs,
        connections: readAirConnections(join(result.dir, 'air.jsonl')),
      });
    }
  return runs;
}
