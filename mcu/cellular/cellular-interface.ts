// CellularInterface: brings the BG96 up the way Mbed OS's cellular framework does (device init,
// SIM and registration checks, PDP context activation), then hands out the stack sockets open on.

import type { Duplex } from 'node:stream';
import { type Clock, realClock, sleep } from '../../shared/clock.ts';
import { log } from '../../shared/log.ts';
import {
  NSAPI_ERROR_DEVICE_ERROR,
  NSAPI_ERROR_IS_CONNECTED,
  NSAPI_ERROR_NO_CONNECTION,
  NSAPI_ERROR_OK,
  NSAPI_STATUS_DISCONNECTED,
  NSAPI_STATUS_GLOBAL_UP,
  NSAPI_UNSPEC,
  type nsapi_version_t,
} from '../../shared/nsapi.ts';
import type { SocketAddress } from '../../shared/socket-address.ts';
import type { NetworkStack, StackProvider } from '../netsocket/network-stack.ts';
import { tlsSocketVariant } from '../netsocket/tls-socket-variant.ts';
import { ATHandler } from './at-handler.ts';
import { params } from './at-params.ts';
import { QUECTEL_BG96_CellularStack } from './quectel-bg96-stack.ts';

export interface CellularInterfaceOptions {
  apn?: string;
  /** PDP context id (Mbed OS CellularContext id, typically 1) */
  cid?: number;
  /** default AT response timeout in ms (Mbed OS: 1000) */
  atTimeoutMs?: number;
  /** how long connect() waits for the modem to answer AT after power-up */
  wakeTimeoutMs?: number;
  /** how long connect() waits for the modem's RDY before polling with AT (default 3 s) */
  rdyTimeoutMs?: number;
  /** how long connect() waits for network registration */
  registrationTimeoutMs?: number;
  /** the clock AT timeouts and power-up waits go through (real time by default) */
  clock?: Clock;
  /** builds the stack once the context is up (default: the BG96 stack for the configured TLSSocket) */
  createStack?: (at: ATHandler, cid: number) => QUECTEL_BG96_CellularStack;
}

/** The offloaded TLSSocket needs the stack's setsockopt(NSAPI_TLSSOCKET_LEVEL) path; it exists only then. */
function defaultStack(at: ATHandler, cid: number): QUECTEL_BG96_CellularStack {
  return new QUECTEL_BG96_CellularStack(at, cid, { tlsSocket: tlsSocketVariant() });
}

const PDP_ACTIVATE_TIMEOUT_MS = 150_000;
const PDP_DEACTIVATE_TIMEOUT_MS = 40_000;

export class CellularInterface implements StackProvider {
  readonly at: ATHandler;
  private stack: QUECTEL_BG96_CellularStack | null = null;
  private connected = false;
  private rdySeen = false;
  private onRdy: (() => void) | null = null;
  private readonly cid: number;
  private readonly clock: Clock;
  private readonly log = log.child('cellular', 'CELL');

  constructor(
    port: Duplex,
    private readonly options: CellularInterfaceOptions = {},
  ) {
    this.cid = options.cid ?? 1;
    this.clock = options.clock ?? realClock;
    this.at = new ATHandler(port, { timeoutMs: options.atTimeoutMs, clock: this.clock });
    this.at.setUrcHandler('+QIURC: "pdpdeact"', () => {
      this.log.warn('PDP context deactivated by the network');
      this.connected = false;
    });
    this.at.setUrcHandler('RDY', () => {
      this.log.info('modem reported RDY');
      this.rdySeen = true;
      this.onRdy?.();
    });
  }

  get_stack(): NetworkStack | null {
    return this.stack;
  }

  get_connection_status(): number {
    return this.connected ? NSAPI_STATUS_GLOBAL_UP : NSAPI_STATUS_DISCONNECTED;
  }

  /** Device init, SIM, registration, PDP activation. OK, IS_CONNECTED, or an error. */
  async connect(): Promise<number> {
    if (this.connected) return NSAPI_ERROR_IS_CONNECTED;
    const steps: Array<[string, () => Promise<number>]> = [
      ['wake the modem', () => this.wake()],
      ['initialise the device', () => this.initDevice()],
      ['check the SIM', () => this.checkSim()],
      ['wait for network registration', () => this.waitRegistration()],
      ['activate the PDP context', () => this.activatePdp()],
    ];
    for (const [what, step] of steps) {
      const result = await step();
      if (result !== NSAPI_ERROR_OK) {
        this.log.error(`cellular connect failed: could not ${what} (${result})`);
        return result;
      }
    }
    // One stack for the interface's life, as in Mbed OS: sockets opened before a disconnect keep
    // their URC routing when the network comes back.
    if (!this.stack) {
      const stack = (this.options.createStack ?? defaultStack)(this.at, this.cid);
      await stack.init();
      this.stack = stack;
    }
    this.connected = true;
    this.log.info('cellular network connected');
    return NSAPI_ERROR_OK;
  }

  async disconnect(): Promise<number> {
    if (!this.connected) return NSAPI_ERROR_NO_CONNECTION;
    const result = await this.at.at_cmd_discard('+QIDEACT', `=${this.cid}`, PDP_DEACTIVATE_TIMEOUT_MS);
    this.connected = false;
    return result;
  }

  gethostbyname(
    host: string,
    address: SocketAddress,
    version: nsapi_version_t = NSAPI_UNSPEC,
  ): Promise<number> {
    if (!this.stack) return Promise.resolve(NSAPI_ERROR_NO_CONNECTION);
    return this.stack.gethostbyname(host, address, version);
  }

  get_ip_address(address: SocketAddress): Promise<number> {
    if (!this.stack) return Promise.resolve(NSAPI_ERROR_NO_CONNECTION);
    return this.stack.get_ip_address(address);
  }

  /**
   * Power-up: wait for the modem's RDY (as the BG96 driver does after the power key), then check it
   * answers AT. A modem that booted before this MCU sends no RDY: then poll with AT, and once it
   * answers let late replies to the unanswered polls arrive and drop them, so they cannot be taken
   * for the next command's response.
   */
  private async wake(): Promise<number> {
    const deadline = this.clock.now() + (this.options.wakeTimeoutMs ?? 10_000);
    if (!this.rdySeen) {
      await new Promise<void>((resolve) => {
        const timer = this.clock.setTimeout(resolve, this.options.rdyTimeoutMs ?? 3000);
        this.onRdy = () => {
          this.clock.clearTimeout(timer);
          resolve();
        };
      });
      this.onRdy = null;
    }
    let unanswered = 0;
    while (this.clock.now() < deadline) {
      const result = await this.at.at_cmd_discard('', '', 500);
      if (result === NSAPI_ERROR_OK) {
        if (unanswered > 0) {
          await sleep(this.clock, 200);
          this.at.flushInput();
        }
        return result;
      }
      unanswered++;
    }
    return NSAPI_ERROR_DEVICE_ERROR;
  }

  /** AT_CellularDevice::init (ATE0, CMEE=1, CFUN=1), then sync via AT+CMEE?. */
  private async initDevice(): Promise<number> {
    for (const [cmd, args] of [
      ['E0', ''],
      ['+CMEE', '=1'],
      ['+CFUN', '=1'],
    ]) {
      const result = await this.at.at_cmd_discard(cmd, args);
      if (result !== NSAPI_ERROR_OK) return result;
    }
    const synced = await this.at.at_cmd_str('+CMEE', '?');
    return synced.ok ? NSAPI_ERROR_OK : synced.error;
  }

  /** AT+CPIN?: READY, or the SIM wants a PIN (or is missing) and the network cannot come up. */
  private async checkSim(): Promise<number> {
    const pin = await this.at.at_cmd_str('+CPIN', '?');
    if (!pin.ok) return pin.error;
    return pin.value === 'READY' ? NSAPI_ERROR_OK : NSAPI_ERROR_NO_CONNECTION;
  }

  /** AT+CEREG? until <stat> is 1 (home) or 5 (roaming). */
  private async waitRegistration(): Promise<number> {
    const deadline = this.clock.now() + (this.options.registrationTimeoutMs ?? 30_000);
    for (;;) {
      const status = await this.at.at_cmd_str('+CEREG', '?');
      if (status.ok && ['1', '5'].includes(params(status.value)[1])) return NSAPI_ERROR_OK;
      if (this.clock.now() > deadline) return NSAPI_ERROR_NO_CONNECTION;
      await sleep(this.clock, 500);
    }
  }

  /** AT+QICSGP sets the APN; AT+QIACT activates the context unless AT+QIACT? lists it already. */
  private async activatePdp(): Promise<number> {
    const apn = this.options.apn ?? 'internet';
    const configured = await this.at.at_cmd_discard('+QICSGP', `=${this.cid},1,"${apn}"`);
    if (configured !== NSAPI_ERROR_OK) return configured;
    // A failed query is not an answer: activate anyway.
    const active = await this.at.at_cmd_lines('+QIACT', '?');
    if (active.ok && active.value.some((context) => Number(params(context)[0]) === this.cid)) {
      return NSAPI_ERROR_OK;
    }
    const activated = await this.at.at_cmd_discard('+QIACT', `=${this.cid}`, PDP_ACTIVATE_TIMEOUT_MS);
    return activated === NSAPI_ERROR_OK ? activated : NSAPI_ERROR_NO_CONNECTION;
  }
}
