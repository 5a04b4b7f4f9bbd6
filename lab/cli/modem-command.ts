// `tlssim modem`: a standalone simulated BG96 on one UART end.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { Bg96Modem } from '../../modem/bg96-modem.ts';
import { setCaptureClock } from '../../modem/capture/network-recorder.ts';
import { setHostSocketLedger } from '../../modem/host/host-socket-ledger.ts';
import { type LinkProfile, resolveLinkProfile } from '../../modem/link/link-profile.ts';
import { log, setLogSink, streamSink } from '../../shared/log.ts';
import { SimulatedPart } from '../../shared/sim/simulated-part.ts';
import { SocketLedger } from '../../shared/sim/socket-ledger.ts';
import { SIMULATED_EPOCH_MS } from '../../shared/trace/trace-writer.ts';
import { DEFAULT_BAUD_RATE, openUart } from '../../shared/uart/open-uart.ts';
import { openPtyPair } from '../../shared/uart/pty-pair.ts';
import { parseUartSpec } from '../../shared/uart/uart-spec.ts';
import { isNetworkEventRequest, type NetworkEventReply } from '../runner/network-event-messages.ts';
import { type Command, intOption, parseCommandArgs, UsageError } from './cli-args.ts';
import { clockOption, requireCoordinator } from './clock-option.ts';

function readHosts(value: string | undefined): Record<string, string> {
  if (!value) return {};
  let text = value;
  if (!value.trim().startsWith('{')) {
    try {
      text = readFileSync(value, 'utf8');
    } catch {
      throw new UsageError(`--hosts: cannot read ${value}`);
    }
  }
  try {
    const json = JSON.parse(text) as Record<string, string> | { hosts: Record<string, string> };
    // A lab description (tlssim lab --write-lab) carries the table under "hosts".
    return typeof json.hosts === 'object'
      ? (json.hosts as Record<string, string>)
      : (json as Record<string, string>);
  } catch {
    throw new UsageError(`--hosts must be a JSON object {"name":"127.0.0.1"} or a file holding one`);
  }
}

/** e.g. "nb-iot: 800 ms ± 300 ms each way, up 70000 bit/s, down 32000 bit/s, datagram loss 2 %". */
function describeLink(link: LinkProfile): string {
  const rate = (bps: number) => (bps > 0 ? `${bps} bit/s` : 'unlimited');
  return `${link.name}: ${link.delayMs} ms ± ${link.jitterMs} ms each way, up ${rate(link.upBps)}, down ${rate(link.downBps)}, datagram loss ${link.datagramLoss * 100} %`;
}

/** --link: a profile name or JSON figures; a clear usage error naming the key otherwise. */
function readLink(value: string | undefined): LinkProfile {
  try {
    return resolveLinkProfile(
      value === undefined || !value.trim().startsWith('{') ? value : JSON.parse(value),
    );
  } catch (error) {
    throw new UsageError(`--link: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Under the runner (spawned with an IPC channel): scripted network events from the app arrive as
 * messages, are applied to the modem, and answered (lab/runner/network-event-relay.ts).
 */
function answerNetworkEvents(modem: Bg96Modem): () => void {
  const send = process.send?.bind(process);
  if (!send) return () => undefined;
  const onMessage = (message: unknown) => {
    if (!isNetworkEventRequest(message)) return;
    let reply: NetworkEventReply;
    try {
      reply = { type: 'network-event-done', id: message.id, result: modem.applyNetworkEvent(message.spec) };
    } catch (error) {
      reply = { type: 'network-event-done', id: message.id, error: (error as Error).message };
    }
    send(reply);
  };
  process.on('message', onMessage);
  return () => process.off('message', onMessage);
}

export const modemCommand: Command = {
  name: 'modem',
  summary: 'run a simulated Quectel BG96 on a UART end',
  usage: `Usage: tlssim modem --uart SPEC [--hosts JSON|FILE] [--baud N] [--air FILE] [--link PROFILE|JSON] [--link-seed N]
                   [--allow-system-resolver] [--clock wall|simulated]

Runs the simulated BG96 until interrupted. SPEC is one of:
  tcp://HOST:PORT          dial a wire (what the runner does)
  pty                      make a pseudo-terminal pair (socat) and print the path to attach
                           picocom/minicom or another driver to
  tcp-listen://HOST:PORT   wait for a driver to connect (e.g. socat, another simulator)
  /dev/ttyXXX or a pty     a real or pseudo serial device
  mock:NAME                an in-process mock port (tests only)
--air FILE appends each connection's bytes over the air (TLS handshake and application data, header
estimate) as a JSON line when it closes, and the open ones when the modem stops (docs/costs.md).
--link shapes the modem's host sockets as a cellular link: ideal (default), lte-m, nb-iot, or JSON
figures {"profile":"lte-m","delayMs":200,"jitterMs":50,"upBps":70000,"downBps":32000,"datagramLoss":0.02}
(docs/reliability.md); --link-seed N seeds its jitter and loss.
--clock simulated puts the modem's timers, link delays and capture times on the runner's simulated
clock (only under tlssim run, which spawns it with an IPC channel; docs/simulated-time.md); wall (the
default) is real time, for a pty, a real serial device or another driver.
--hosts gives the names AT+QIDNSGIP and AT+QIOPEN resolve (name → IP literal). Names outside it fail
to resolve unless --allow-system-resolver is given (this machine's resolver is off-machine).

Examples:
  tlssim modem --uart pty                                     then: picocom -b 115200 <the pty path>
  tlssim modem --uart tcp-listen://127.0.0.1:7000 --hosts '{"echo.tlssim.test":"127.0.0.1"}'
  tlssim modem --uart tcp://127.0.0.1:7002 --hosts out/lab.json --air out/air.jsonl`,
  async run(argv) {
    const { values } = parseCommandArgs(this, argv, {
      uart: { type: 'string' },
      hosts: { type: 'string' },
      baud: { type: 'string' },
      'allow-system-resolver': { type: 'boolean' },
      air: { type: 'string' },
      link: { type: 'string' },
      'link-seed': { type: 'string' },
      clock: { type: 'string' },
    });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    if (!values.uart) throw new UsageError(`--uart is required\n\n${this.usage}`);
    const baud = intOption('baud', values.baud, DEFAULT_BAUD_RATE, 1);
    // `pty`: make a pseudo-terminal pair and tell the person where to attach.
    // Check what can be checked before anything is started, so a mistake leaves nothing behind.
    const hosts = readHosts(values.hosts);
    const link = readLink(values.link);
    const linkSeed = intOption('link-seed', values['link-seed'], 1, 0);
    const clock = clockOption(values.clock, 'wall');
    if (clock === 'simulated') {
      if (values.uart === 'pty')
        throw new UsageError('--clock simulated cannot drive a pty: its peer runs on wall time');
      requireCoordinator('modem');
    }
    if (values.uart !== 'pty') {
      try {
        parseUartSpec(values.uart);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    }
    const pty = values.uart === 'pty' ? await openPtyPair() : null;
    process.once('exit', () => pty?.close());
    const uart = pty ? pty.ownPath : values.uart;
    const port = await openUart(uart, baud);
    const simulated = clock === 'simulated' ? new SimulatedPart() : undefined;
    if (simulated) {
      simulated.countUart(port);
      const ledger = new SocketLedger('client', simulated.poke);
      setHostSocketLedger(ledger);
      simulated.reportSockets(ledger);
      setCaptureClock(simulated.clock, SIMULATED_EPOCH_MS);
    }
    if (pty) {
      console.log(`UART: ${pty.peerPath} (${pty.peerDevice})`);
      console.log(`  attach with: picocom -b ${baud} ${pty.peerPath}   (or screen ${pty.peerPath} ${baud})`);
    }
    // modem.log (under the runner) or the terminal: every channel of the process logger.
    // On simulated time the log's timestamps are simulated time too, as mcu.log's are.
    const logNow = simulated ? () => simulated.clock.now() : undefined;
    setLogSink(streamSink((text) => process.stdout.write(text), logNow));
    const modem = new Bg96Modem(port, {
      hosts,
      allowSystemResolver: values['allow-system-resolver'] ?? false,
      link,
      linkSeed,
      ...(simulated ? { clock: simulated.clock } : {}),
    });
    const airFile = values.air;
    // One line per finished connection: constant work per close, and a modem killed mid-write loses
    // at most the line it was writing (the reader skips a torn last line).
    if (airFile) {
      writeFileSync(airFile, '');
      modem.onConnectionFinished((connection) => appendFileSync(airFile, `${JSON.stringify(connection)}\n`));
    }
    const stopEvents = answerNetworkEvents(modem);
    modem.start();
    log.child('modem', 'BG96').info(`BG96 modem ready on ${pty ? pty.peerPath : values.uart}`);
    // modem.log says which link the connections crossed (the suite checks it for cellular-link).
    log.child('modem', 'BG96').info(`link: ${describeLink(link)}`);
    if (simulated) log.child('modem', 'BG96').info('clock: simulated (the runner moves it)');
    simulated?.poke();
    await new Promise<void>((resolve) => {
      port.on('close', resolve);
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    stopEvents();
    // Closing the modem finishes the connections still open, and so writes their lines too.
    await modem.close();
    pty?.close();
    return 0;
  },
};
