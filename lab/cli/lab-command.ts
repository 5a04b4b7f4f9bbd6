// `tlssim lab`: start the lab servers (and optionally a wire with its trace) for manual use and for the
// containers of docker-compose.yml.
import { writeFileSync } from 'node:fs';
import { TraceWriter } from '../../shared/trace/trace-writer.ts';
import { startLab } from '../servers/lab.ts';
import { describeLab } from '../servers/lab-listing.ts';
import { listenWireEnd } from '../wire/tcp-wire-end.ts';
import { Wire } from '../wire/wire.ts';
import { type Command, intOption, parseCommandArgs, UsageError } from './cli-args.ts';

export const labCommand: Command = {
  name: 'lab',
  summary: 'start the lab servers (TLS/TCP/UDP echo, discard, daytime, bad-certificate zoo)',
  usage: `Usage: tlssim lab [--greentea-ports] [--write-lab FILE] [--wire MCU_PORT,MODEM_PORT --trace FILE [--baud N]]

Starts every lab server on 127.0.0.1 and prints its name, port and the CA path, then runs until
interrupted.
  --greentea-ports  TLS echo/discard/daytime on the Greentea ports 2007/2009/2013
  --write-lab FILE  write the lab description (servers, hosts table, PKI folder) as JSON, for
                    \`tlssim modem --hosts FILE\` and \`tlssim mcu --lab FILE\`
  --wire M,D        also run a wire: the MCU dials tcp://127.0.0.1:M, the modem tcp://127.0.0.1:D;
                    every byte is paced at --baud (default 115200) and written to --trace FILE

Examples:
  tlssim lab
  tlssim lab --greentea-ports
  tlssim lab --write-lab out/lab.json --wire 7001,7002 --trace out/uart.jsonl`,
  async run(argv) {
    const { values } = parseCommandArgs(this, argv, {
      'greentea-ports': { type: 'boolean' },
      'write-lab': { type: 'string' },
      wire: { type: 'string' },
      trace: { type: 'string' },
      baud: { type: 'string' },
    });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const wirePorts = values.wire?.split(',').map((p) => intOption('wire', p, 0, 1));
    if (wirePorts && (wirePorts.length !== 2 || !values.trace)) {
      throw new UsageError(`--wire takes MCU_PORT,MODEM_PORT and needs --trace FILE\n\n${this.usage}`);
    }
    const ports = values['greentea-ports']
      ? { 'tls-echo': 2007, 'tls-discard': 2009, 'tls-daytime': 2013 }
      : {};
    const lab = await startLab({ ports });
    console.log(describeLab(lab));
    if (values['write-lab']) {
      writeFileSync(
        values['write-lab'],
        JSON.stringify({ servers: lab.servers, hosts: lab.hosts, pkiDir: lab.pki.dir }, null, 2),
      );
      console.log(`lab description: ${values['write-lab']}`);
    }
    let wire: Wire | null = null;
    let stop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    let trace: TraceWriter | null = null;
    if (wirePorts && values.trace) {
      const baud = intOption('baud', values.baud, 115200, 1);
      const [mcuEnd, modemEnd] = await Promise.all(wirePorts.map((port) => listenWireEnd('127.0.0.1', port)));
      const writer = new TraceWriter(values.trace, { baud, frame: '8N1' });
      trace = writer;
      console.log(
        `wire: MCU at tcp://127.0.0.1:${mcuEnd.port}, modem at tcp://127.0.0.1:${modemEnd.port}, trace ${values.trace}`,
      );
      void Promise.all([mcuEnd.connected, modemEnd.connected]).then(([a, b]) => {
        wire = new Wire(a, b, { baud, trace: writer });
        console.log('wire: both ends connected');
        // One run per wire: when the MCU goes, the trace is complete.
        a.onClose(() => {
          console.log(
            `wire: the MCU disconnected; ${values.trace} is complete. Start tlssim lab again for another run.`,
          );
          stop();
        });
      });
    }
    console.log('\nlab running; Ctrl-C to stop');
    await stopped;
    (wire as Wire | null)?.close();
    await trace?.close();
    await lab.close();
    return 0;
  },
};
