// `tlssim mcu`: the MCU process the runner spawns (also usable by hand against a standalone modem).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_BAUD_RATE } from '../../shared/uart/open-uart.ts';
import { runMcuProcess } from '../runner/mcu-process.ts';
import { MODES, type Mode } from '../scenario/scenario-types.ts';
import { type Command, intOption, parseCommandArgs, UsageError } from './cli-args.ts';
import { clockOption, requireCoordinator } from './clock-option.ts';

export const mcuCommand: Command = {
  name: 'mcu',
  summary: 'run one scenario app in an MCU process on a UART end',
  usage: `Usage: tlssim mcu --uart SPEC --scenario FILE [--mode mbedtls|offload] [--baud N] [--lab FILE]
                 [--clock wall|simulated]

Runs the scenario's app against the modem on SPEC and prints a JSON result line. The runner starts
this for you; lab server addresses come from the TLSSIM_LAB environment variable, or from --lab FILE
(written by tlssim lab --write-lab FILE). --clock simulated (what the runner passes) puts the app and
the device on the runner's simulated clock; by hand the clock is wall time (docs/simulated-time.md).

Examples (a standalone run: first \`tlssim lab --write-lab out/lab.json --wire 7001,7002 --trace T\`
and \`tlssim modem --uart tcp://127.0.0.1:7002 --hosts out/lab.json\`):
  tlssim mcu --uart tcp://127.0.0.1:7001 --lab out/lab.json --scenario scenarios/mutual-tls.ts
  tlssim mcu --uart tcp://127.0.0.1:7001 --lab out/lab.json --mode offload \\
    --scenario scenarios/connect-secure-server.ts`,
  async run(argv) {
    const { values } = parseCommandArgs(this, argv, {
      uart: { type: 'string' },
      scenario: { type: 'string' },
      mode: { type: 'string' },
      baud: { type: 'string' },
      lab: { type: 'string' },
      clock: { type: 'string' },
    });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    if (!values.uart || !values.scenario)
      throw new UsageError(`--uart and --scenario are required\n\n${this.usage}`);
    const mode = (values.mode ?? 'mbedtls') as Mode;
    if (!MODES.includes(mode))
      throw new UsageError(`--mode must be mbedtls or offload, got "${values.mode}"`);
    const clock = clockOption(values.clock, 'wall');
    if (clock === 'simulated') requireCoordinator('mcu');
    // --lab FILE (written by tlssim lab --write-lab) stands in for the runner's TLSSIM_LAB variable.
    if (values.lab) process.env.TLSSIM_LAB = readFileSync(values.lab, 'utf8');
    return runMcuProcess({
      uart: values.uart,
      scenarioFile: resolve(values.scenario),
      mode,
      baud: intOption('baud', values.baud, DEFAULT_BAUD_RATE, 1),
      clock,
    });
  },
};
