// `tlssim lab`: start the lab servers and keep them running for manual use.

import { startLab } from '../servers/lab.ts';
import { describeLab } from '../servers/lab-listing.ts';
import { type Command, parseCommandArgs } from './cli-args.ts';

export const labCommand: Command = {
  name: 'lab',
  summary: 'start the lab servers (TLS/TCP/UDP echo, discard, daytime, bad-certificate zoo)',
  usage: `Usage: tlssim lab [--greentea-ports]

Starts every lab server on 127.0.0.1 and prints its name, port and the CA path, then runs until
interrupted. --greentea-ports puts the TLS echo/discard/daytime servers on the Greentea ports
2007/2009/2013.`,
  async run(argv) {
    const { values } = parseCommandArgs(this, argv, { 'greentea-ports': { type: 'boolean' } });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const ports = values['greentea-ports']
      ? { 'tls-echo': 2007, 'tls-discard': 2009, 'tls-daytime': 2013 }
      : {};
    const lab = await startLab({ ports });
    console.log(describeLab(lab));
    console.log('\nlab running; Ctrl-C to stop');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await lab.close();
    return 0;
  },
};
