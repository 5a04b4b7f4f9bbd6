// `tlssim soak`: many connect / echo / close cycles per mode through real MCU and modem processes, and
// what both hold at the start and at the end (RSS, open file descriptors, the modem's socket table), to
// find leaks and limits (docs/reliability.md, "Leaks and limits").
import { resolve } from 'node:path';
import { packagePath } from '../../shared/package-root.ts';
import { DEFAULT_BAUD_RATE } from '../../shared/uart/open-uart.ts';
import { groupDigits } from '../report/cost-figures.ts';
import { runMany } from '../runner/run-many.ts';
import type { ScenarioResult } from '../runner/run-scenario.ts';
import { loadScenario } from '../runner/scenario-files.ts';
import { isMode, MODES, type Mode } from '../scenario/scenario-types.ts';
import { type Command, intOption, parseCommandArgs, UsageError } from './cli-args.ts';
import { clockOption } from './clock-option.ts';

const SOAK_SCENARIO = packagePath('scenarios/soak.ts');

export const soakCommand: Command = {
  name: 'soak',
  summary: 'run many TLS connect/echo/close cycles per mode and compare RSS, fds and modem sockets',
  usage: `Usage: tlssim soak [--cycles N] [--mode mbedtls|offload|both] [--baud N] [--no-pacing] [--out DIR] [--json]
                   [--clock simulated|wall]

Runs scenarios/soak.ts: N TLS connect / echo / close cycles (default 1000) on one cellular interface,
in each mode, through a real MCU process and a real modem process. At the start and at the end the
runner samples both processes' resident memory and open file descriptors, and the app reads the
modem's socket table (AT+QISTATE?, AT+QSSLSTATE?). Prints start → end per mode; exit 1 if a run failed
or a socket was left open. --clock: simulated (default) or wall (docs/simulated-time.md).

Examples:
  tlssim soak                               1000 cycles in each mode
  tlssim soak --cycles 200 --mode offload --no-pacing
  tlssim soak --cycles 50 --json
  tlssim soak --cycles 100 --clock wall      on host time`,
  async run(argv) {
    const { values } = parseCommandArgs(this, argv, {
      cycles: { type: 'string' },
      mode: { type: 'string' },
      baud: { type: 'string' },
      'no-pacing': { type: 'boolean' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      clock: { type: 'string' },
    });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const cycles = intOption('cycles', values.cycles, 1000, 1);
    const modes = modesOf(values.mode ?? 'both');
    const clock = clockOption(values.clock, 'simulated');
    // The scenario reads its cycle count (and its whole-run bound) from the environment when it loads.
    process.env.TLSSIM_SOAK_CYCLES = String(cycles);
    const scenario = await loadScenario(SOAK_SCENARIO);
    const outDir = resolve(values.out ?? 'out/soak');
    if (!values.json) console.log(`tlssim soak: ${cycles} cycles × ${modes.join(', ')}\n`);
    const results = await runMany(
      modes.map((mode) => ({ file: SOAK_SCENARIO, scenario, mode })),
      {
        outDir,
        baud: intOption('baud', values.baud, DEFAULT_BAUD_RATE, 1),
        pacing: !values['no-pacing'],
        clock,
        parallel: 1,
      },
    );
    const leaked = results.some((r) => (r.metrics['end.modemSockets'] ?? 0) > 0);
    if (values.json) console.log(JSON.stringify({ cycles, results: results.map(summary) }));
    else for (const result of results) console.log(table(result));
    return results.some((r) => r.status === 'failed') || leaked ? 1 : 0;
  },
};

function modesOf(mode: string): readonly Mode[] {
  if (mode === 'both') return MODES;
  if (isMode(mode)) return [mode];
  throw new UsageError(`--mode must be mbedtls, offload or both, got "${mode}"`);
}

function summary(result: ScenarioResult) {
  const { mode, status, durationMs, error, step, metrics, dir } = result;
  return { mode, status, durationMs, error, step, metrics, dir };
}

function table(result: ScenarioResult): string {
  const m = result.metrics;
  const row = (what: string, start: string, end: string) =>
    `  ${what.padEnd(26)} ${`${m[start] === undefined ? '?' : groupDigits(m[start])}`.padStart(10)} → ${
      m[end] === undefined ? '?' : groupDigits(m[end])
    }`;
  const head = `${result.mode}: ${result.status === 'passed' ? 'passed' : `FAILED at ${result.step}: ${result.error}`}, ${(result.durationMs / 1000).toFixed(1)} s, logs in ${result.dir}`;
  return [
    head,
    row('MCU RSS (KiB)', 'start.mcuRssKiB', 'end.mcuRssKiB'),
    row('MCU open fds', 'start.mcuFds', 'end.mcuFds'),
    row('modem RSS (KiB)', 'start.modemRssKiB', 'end.modemRssKiB'),
    row('modem open fds', 'start.modemFds', 'end.modemFds'),
    row('modem sockets open', 'start.modemSockets', 'end.modemSockets'),
    '',
  ].join('\n');
}
