import type { Duplex } from 'node:stream';
import { type AirConnection, AirLedger } from './air/air-ledger.ts';
import { AtEngine } from './at/at-engine.ts';
import { CommandTable } from './at/command-table.ts';
import type { ResponseLine } from './at/response.ts';
import { registerDnsCommands } from './commands/dns.ts';
import { registerFileCommands } from './commands/files.ts';
import { registerGeneralCommands } from './commands/general.ts';
import { registerIdentityCommands } from './commands/identity.ts';
import { registerNetworkCommands } from './commands/network.ts';
import { registerPdpCommands } from './commands/pdp.ts';
import { registerSocketDataCommands } from './commands/socket-data.ts';
import { registerSocketCommands } from './commands/sockets.ts';
import { registerSslConfigCommands } from './commands/ssl-config.ts';
import { registerSslSocketCommands } from './commands/ssl-sockets.ts';
import { applyNetworkEvent, deactivateContext } from './events/apply-network-event.ts';
import type { NetworkEventResult, NetworkEventSpec } from './events/network-event.ts';
import { HostResolver } from './host/resolver.ts';
import { isIdeal } from './link/link-profile.ts';
import { LinkShaper } from './link/link-shaper.ts';
import type { ModemContext } from './modem-context.ts';
import { type ModemOptions, type ResolvedModemOptions, resolveModemOptions } from './modem-options.ts';
import { ModemState } from './modem-state.ts';
import type { ModemSocket } from './sockets/modem-socket.ts';
import { SocketTable } from './sockets/socket-table.ts';
import { SslContexts } from './ssl/ssl-context.ts';
import { FileStore } from './ufs/file-store.ts';

export type { ModemOptions } from './modem-options.ts';

/**
 * A simulated Quectel BG96 on one end of a UART. Bytes the MCU writes to `port` are AT commands (and
 * data phases); responses and URCs are written back to `port`. Host sockets do the networking.
 */
export class Bg96Modem {
  private readonly options: ResolvedModemOptions;
  private readonly state = new ModemState();
  private readonly sockets = new SocketTable();
  /** What every connection moved over the air (docs/costs.md, "Bytes over the air"). */
  private readonly air = new AirLedger();
  /** connections opened, for the link's per-connection random streams */
  private connections = 0;
  private readonly engine: AtEngine;
  private readonly context: ModemContext;
  private readonly sslContexts: SslContexts;
  /** The UFS store (uploaded certificates and keys); it survives AT+CFUN=1,1. */
  readonly files: FileStore;
  private closed = false;

  constructor(port: Duplex, options?: ModemOptions) {
    this.options = resolveModemOptions(options);
    this.files = new FileStore(this.options.ufsCapacity);
    this.sslContexts = new SslContexts({ ignoreLocalTime: this.options.sslIgnoreLocalTime });
    const table = new CommandTable();
    this.engine = new AtEngine({
      port,
      table,
      settings: () => this.state,
      clock: this.options.clock,
      log: this.options.log.child('at', 'AT'),
      maxLineLength: this.options.maxLineLength,
    });
    this.context = {
      state: this.state,
      options: this.options,
      sockets: this.sockets,
      files: this.files,
      resolver: new HostResolver(this.options.hosts, this.options.allowSystemResolver),
      urc: (...lines: ResponseLine[]) => this.engine.urc(...lines),
      log: this.options.log,
      socketFinished: (socket) => this.air.finish(socket),
      linkFor: (label, ordered) => this.linkFor(label, ordered),
      dropSockets: (contextId) => this.dropSockets((socket) => socket.info.contextId === contextId),
      reboot: () => this.options.clock.setTimeout(() => this.reboot(), 0),
    };
    registerGeneralCommands(table, this.context);
    registerIdentityCommands(table, this.context);
    registerNetworkCommands(table, this.context);
    registerPdpCommands(table, this.context);
    registerSocketCommands(table, this.context);
    registerSocketDataCommands(table, this.context);
    registerDnsCommands(table, this.context);
    registerFileCommands(table, this.context);
    registerSslConfigCommands(table, this.sslContexts);
    registerSslSocketCommands(table, this.context, this.sslContexts);
  }

  /** Each connection draws its own seeded stream (by a running number), so runs replay exactly. */
  private linkFor(label: string, ordered: boolean): LinkShaper | undefined {
    const { link, linkSeed, clock } = this.options;
    if (isIdeal(link)) return undefined;
    this.connections++;
    return new LinkShaper(link, clock, linkSeed, `${label}#${this.connections}`, ordered);
  }

  /** Every connection's air figures so far: closed ones final, open ones as they stand. */
  airConnections(): AirConnection[] {
    return this.air.connections(this.sockets.all());
  }

  /** Hears each connection's final air figures as it closes. */
  onConnectionFinished(listener: ((connection: AirConnection) => void) | null): void {
    this.air.onFinished(listener);
  }

  /** Starts listening and announces `RDY`, as a BG96 does after power-on. */
  start(): void {
    this.engine.start();
    this.engine.urc('RDY');
    this.options.log.info('modem ready');
  }

  /** Stops the modem: host sockets and timers end; the port itself stays open (its owner closes it). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.engine.close();
    this.dropSockets(() => true);
  }

  /**
   * Fault injection: the network tears down a PDP context. Its sockets drop and the modem reports
   * `+QIURC: "pdpdeact",<contextID>`; the host must AT+QIDEACT before activating again.
   */
  deactivateByNetwork(contextId: number): void {
    deactivateContext(this.context, contextId);
  }

  /**
   * A scripted network or modem event (docs/reliability.md, "Network and modem events"), applied now;
   * its URCs are queued like any other. The reboot is synchronous here: sockets are gone on return.
   */
  applyNetworkEvent(spec: NetworkEventSpec): NetworkEventResult {
    if (spec.event !== 'modem-reboot') return applyNetworkEvent(this.context, spec);
    const sockets = this.sockets.all().map((socket) => socket.info.id);
    this.reboot();
    return { event: spec.event, sockets };
  }

  private dropSockets(select: (socket: ModemSocket) => boolean): void {
    for (const socket of this.sockets.all()) {
      if (!select(socket)) continue;
      this.sockets.remove(socket);
      socket.destroy();
    }
  }

  /** AT+CFUN=1,1: sockets, settings and SSL contexts go, UFS files stay, then RDY again. */
  private reboot(): void {
    if (this.closed) return;
    this.options.log.info('modem reset');
    this.dropSockets(() => true);
    this.engine.reset();
    this.state.resetSession();
    this.sslContexts.reset();
    this.engine.urc('RDY');
  }
}
