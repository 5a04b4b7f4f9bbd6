// The tlssim command line: one entry, one small module per command.
import { pathToFileURL } from 'node:url';
import { UsageError } from './cli-args.ts';
import { COMMANDS } from './command-index.ts';
import { didYouMean } from './did-you-mean.ts';
import { packageVersion } from './package-version.ts';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: tlssim <command> [options]   (tlssim <command> --help for its options)
       tlssim --version

tlssim simulates an MCU and a Quectel BG96 modem joined by a UART, running Mbed OS TLSSocket with TLS
on the MCU (mbedtls mode) or offloaded to the modem (offload mode).

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Examples:
  tlssim demo                                        both modes side by side, with an HTML report
  tlssim run --no-pacing --junit out/junit.xml       the scenario suite, as CI runs it (docs/ci.md)
  tlssim run --help                                  the options of one command`;
}

const TOP_LEVEL_FLAGS = ['--help', '--version'];

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    console.log(packageVersion());
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    const what = name.startsWith('-') ? 'option' : 'command';
    const known = name.startsWith('-') ? TOP_LEVEL_FLAGS : COMMANDS.map((c) => c.name);
    console.error(`tlssim: unknown ${what} "${name}"${didYouMean(name, known)}\n\n${usage()}`);
    return 2;
  }
  try {
    const command = await entry.load();
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
