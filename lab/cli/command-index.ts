// Every tlssim command by name, with its one-line summary, loaded only when it runs: the runner starts
// an MCU and a modem process for every run, and importing all commands (the runner, reports, pcap,
// the lab servers) cost each of them about 300 ms of start-up. Each summary is the command's own
// (test/lab/cli/cli-habits.test.ts checks they match).
import type { Command } from './cli-args.ts';

export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'demo',
    summary: 'show both modes end to end: where TLS runs, what crosses the UART, what each costs',
    load: async () => (await import('./demo-command.ts')).demoCommand,
  },
  {
    name: 'run',
    summary: 'run scenario files through real MCU and modem processes',
    load: async () => (await import('./run-command.ts')).runCommand,
  },
  {
    name: 'soak',
    summary: 'run many TLS connect/echo/close cycles per mode and compare RSS, fds and modem sockets',
    load: async () => (await import('./soak-command.ts')).soakCommand,
  },
  {
    name: 'trace',
    summary: 'show what crossed the UART: annotated transcript, summary, comparison, HTML report',
    load: async () => (await import('./trace-command.ts')).traceCommand,
  },
  {
    name: 'modem',
    summary: 'run a simulated Quectel BG96 on a UART end',
    load: async () => (await import('./modem-command.ts')).modemCommand,
  },
  {
    name: 'lab',
    summary: 'start the lab servers (TLS/TCP/UDP echo, discard, daytime, bad-certificate zoo)',
    load: async () => (await import('./lab-command.ts')).labCommand,
  },
  {
    name: 'mcu',
    summary: 'run one scenario app in an MCU process on a UART end',
    load: async () => (await import('./mcu-command.ts')).mcuCommand,
  },
];

/** All commands, loaded (tests that check every command's help). */
export function loadAllCommands(): Promise<Command[]> {
  return Promise.all(COMMANDS.map((entry) => entry.load()));
}
