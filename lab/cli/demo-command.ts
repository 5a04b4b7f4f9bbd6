// `tlssim demo` (what `npm start` runs): the seed's usage scenario in both modes through real processes,
// and a side-by-side answer to "what crosses the UART?".
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTrace } from '../../shared/trace/trace-reader.ts';
import { DEFAULT_BAUD_RATE } from '../../shared/uart/open-uart.ts';
import { readLabPki } from '../pki/lab-pki.ts';
import { type Job, runMany } from '../runner/run-many.ts';
import type { ScenarioResult } from '../runner/run-scenario.ts';
import { loadScenario } from '../runner/scenario-files.ts';
import { MODES } from '../scenario/scenario-types.ts';
import { type Command, intOption, parseCommandArgs } from './cli-args.ts';

const SCENARIOS = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const MESSAGE_SCENARIO = `${SCENARIOS}connect-secure-server.ts`;
const KEY_SCENARIO = `${SCENARIOS}mutual-tls.ts`;

function pemBodyLine(pem: string): string {
  const lines = pem.trim().split('\n');
  return lines[Math.floor(lines.length / 2)];
}

function traceBytes(result: ScenarioResult): Buffer {
  return Buffer.concat(readTrace(result.trace).chunks.map((c) => c.data));
}

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
    const pki = readLabPki((await import('../pki/pki-store.ts')).defaultPkiDir());
    const keyLine = pemBodyLine(pki.clientKeyPem);
    const row = (mode: 'mbedtls' | 'offload') => {
      const send = results.find((r) => r.mode === mode && r.file === MESSAGE_SCENARIO);
      const key = results.find((r) => r.mode === mode && r.file === KEY_SCENARIO);
      const sendBytes = send?.status === 'passed' ? traceBytes(send) : null;
      const keyBytes = key?.status === 'passed' ? traceBytes(key) : null;
      const yesNo = (bytes: Buffer | null, needle: string) =>
        bytes === null ? 'n/a (failed)' : bytes.includes(Buffer.from(needle)) ? 'YES, in clear' : 'no';
      return {
        tls: mode === 'mbedtls' ? 'MCU (Mbed TLS)' : 'modem (AT+QSSL*)',
        message: yesNo(sendBytes, message),
        key: yesNo(keyBytes, keyLine),
        handshake: send?.metrics.handshakeMs === undefined ? 'n/a' : `${send.metrics.handshakeMs} ms`,
        bytes: send ? `${send.uartBytes.tx} / ${send.uartBytes.rx}` : 'n/a',
        trace: send?.trace ?? '',
      };
    };
    const rows = { mbedtls: row('mbedtls'), offload: row('offload') };
    const lines: Array<[string, string, string]> = [
      ['', 'mbedtls mode', 'offload mode'],
      ['TLS runs in', rows.mbedtls.tls, rows.offload.tls],
      ['message visible on UART', rows.mbedtls.message, rows.offload.message],
      ['client private key on UART', rows.mbedtls.key, rows.offload.key],
      ['handshake time', rows.mbedtls.handshake, rows.offload.handshake],
      ['UART bytes tx / rx', rows.mbedtls.bytes, rows.offload.bytes],
    ];
    const w0 = Math.max(...lines.map((l) => l[0].length));
    const w1 = Math.max(...lines.map((l) => l[1].length));
    console.log('');
    for (const [a, b, c] of lines) console.log(`  ${a.padEnd(w0)}   ${b.padEnd(w1)}   ${c}`);
    console.log(`\n  message: ${JSON.stringify(message)}`);
    console.log(`  traces:  ${rows.mbedtls.trace}\n           ${rows.offload.trace}`);
    console.log(`  inspect: node bin/tlssim.mjs trace ${rows.offload.trace}`);
    if (failed.length) {
      console.log(`\n${failed.length} run(s) failed; logs are beside the traces in ${outDir}`);
      return 1;
    }
    return 0;
  },
};
