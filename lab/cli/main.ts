// The tlssim command line: one entry, one small module per command.
import { pathToFileURL } from 'node:url';
import { type Command, UsageError } from './cli-args.ts';
import { demoCommand } from './demo-command.ts';
import { labCommand } from './lab-command.ts';
import { mcuCommand } from './mcu-command.ts';
import { modemCommand } from './modem-command.ts';
import { runCommand } from './run-command.ts';
import { soakCommand } from './soak-command.ts';
import { traceCommand } from './trace-command.ts';

const commands: Command[] = [
  demoCommand,
  runCommand,
  soakCommand,
  traceCommand,
  modemCommand,
  labCommand,
  mcuCommand,
];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `Usage: tlssim <command> [options]   (tlssim <command> --help for its options)

tlssim simulates an MCU and a Quectel BG96 modem joined by a UART, running Mbed OS TLSSocket with TLS
on the MCU (mbedtls mode) or offloaded to the modem (offload mode).

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`tlssim: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`tlssim ${name}: ${error.message}`);
      return 2;
    }
    // One clear line; the stack only when asked for (TLSSIM_DEBUG=1), since these are environment errors
    // (a port in use, a UART nobody listens on) more often than bugs.
    const message = error instanceof Error ? error.message : String(error);
    console.error(
      `tlssim ${name}: ${process.env.TLSSIM_DEBUG ? ((error as Error).stack ?? message) : message}`,
    );
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Exit explicitly: a finished command must not linger on a half-closed UART or server handle.
  process.exit(await main(process.argv.slice(2)));
}
