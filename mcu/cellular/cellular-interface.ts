// CellularInterface: brings the BG96 up the way Mbed OS's cellular framework does (device init,
// SIM and registration checks, PDP context activation), then hands out the stack sockets open on.

import type { Duplex } from 'node:stream';
import { type Clock, deviceClock, sleep } from '../../shared/clock.ts';
import { log } from '../../shared/log.ts';
import {
  NSAPI_ERROR_DEVICE_ERROR,
  NSAPI_ERROR_IS_CONNECTED,
  NSAPI_ERROR_NO_CONNECTION,
  NSAPI_ERROR_OK,
  NSAPI_EVENT_CELLULAR_STATUS_BASE,
  NSAPI_EVENT_CONNECTION_STATUS_CHANGE,
  NSAPI_STATUS_CONNECTING,
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

/** NetworkInterface's status callback: (nsapi_event_t, intptr_t). */
export type StatusCallback = (event: number, value: number) => void;

/** CellularCommon.h's cellular_connection_status_t: CellularDeviceReady is the base, then SIM, then this. */
export const CellularRegistrationStatusChanged = NSAPI_EVENT_CELLULAR_STATUS_BASE + 2;

export class CellularInterface implements StackProvider {
  readonly at: ATHandler;
  private stack: QUECTEL_BG96_CellularStack | null = null;
  private connected = false;
  private rdySeen = false;
  private onRdy: (() => void) | null = null;
  private readonly cid: number;
  private readonly clock: Clock;
  private readonly log = log.child('cellular', 'CELL');
  private statusCallback: StatusCallback | null = null;
  /** what the status callback last heard (NSAPI_STATUS_DISCONNECTED before the first connect) */
  private status = NSAPI_STATUS_DISCONNECTED;
  /** the last +CEREG <stat> seen (-1: none yet) */
  private registration = -1;

  constructor(
    port: Duplex,
    private readonly options: CellularInterfaceOptions = {},
  ) {
    this.cid = options.cid ?? 1;
    this.clock = options.clock ?? deviceClock;
    this.at = new ATHandler(port, { timeoutMs: options.atTimeoutMs, clock: this.clock });
    // QUECTEL_BG96::urc_pdpdeact → AT_CellularDevice::send_disconnect_to_context → the context's
    // cellular_callback(NSAPI_EVENT_CONNECTION_STATUS_CHANGE, NSAPI_STATUS_DISCONNECTED).
    this.at.setUrcHandler('+QIURC: "pdpdeact"', (line) => {
      const cid = Number(params(line.slice(line.indexOf(':') + 1))[1]);
      if (cid !== this.cid) return;
      this.log.warn(`PDP context ${cid} deactivated by the network`);
      this.contextDown('the network deactivated the PDP context');
    });
    this.at.setUrcHandler('+CEREG:', (line) => this.urc_cereg(line));
    this.at.setUrcHandler('RDY', () => {
      this.rdySeen = true;
      this.onRdy?.();
      if (!this.connected) {
        this.log.info('modem reported RDY');
        return;
      }
      // A modem that reboots under a connected interface (docs/deviations.md, "Network and modem events").
      this.log.warn('modem rebooted (RDY): its sockets and PDP context are gone');
      this.contextDown('the modem rebooted');
    });
  }

  /**
   * NetworkInterface::attach: the status callback. It hears NSAPI_EVENT_CONNECTION_STATUS_CHANGE with
   * the new nsapi_connection_status_t when it changes (AT_CellularContext::call_network_cb), and
   * CellularRegistrationStatusChanged with the registration status (AT_CellularNetwork::urc_cereg;
   * upstream passes a cell_callback_data_t pointer whose status_data is that number).
   */
  attach(callback: StatusCallback | null): void {
    this.statusCallback = callback;
  }

  /**
   * The MCU restarts: this interface, its stack and sockets are discarded with its RAM. The UART stays
   * open (the modem is untouched) for the next CellularInterface.
   */
  release(): void {
    this.at.release();
    this.connected = false;
    this.statusCallback = null;
  }

  /** The context went away under the interface: disconnected, and the stack's sockets are lost. */
  private contextDown(reason: string): void {
    this.connected = false;
    this.stack?.sockets_lost(reason);
    this.setStatus(NSAPI_STATUS_DISCONNECTED);
  }

  /** Only a change is reported, as AT_CellularContext::call_network_cb does. */
  private setStatus(status: number): void {
    if (status === this.status) return;
    this.status = status;
    this.statusCallback?.(NSAPI_EVENT_CONNECTION_STATUS_CHANGE, status);
  }

  /**
   * AT_CellularNetwork::urc_cereg / read_reg_params_and_compare: a changed <stat> is reported as
   * CellularRegistrationStatusChanged; dropping to "not registered" (0) from registered (1, 5) means
   * the packet network is gone, and the context disconnects (AT_CellularContext::cellular_callback).
   */
  private urc_cereg(line: string): void {
    const stat = Number(params(line.slice(line.indexOf(':') + 1))[0]);
    if (!Number.isInteger(stat) || stat === this.registration) return;
    const previous = this.registration;
    this.registration = stat;
    this.log.info(`registration status ${previous} -> ${stat}`);
    this.statusCallback?.(CellularRegistrationStatusChanged, stat);
    if (stat === 0 && (previous === 1 || previous === 5)) this.contextDown('the network detached the modem');
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
    this.setStatus(NSAPI_STATUS_CONNECTING);
    const steps: Array<[string, () => Promise<number>]> = [
      ['wake the modem', () => this.wake()],
      ['initialise the device', () => this.initDevice()],
      ['check the SIM', () => this.checkSim()],
      ['enable registration URCs', () => this.enableRegistrationUrc()],
      ['wait for network registration', () => this.waitRegistration()],
      ['activate the PDP context', () => this.activatePdp()],
    ];
    for (const [what, step] of steps) {
      const result = await step();
      if (result !== NSAPI_ERROR_OK) {
        this.log.error(`cellular connect failed: could not ${what} (${result})`);
        this.setStatus(NSAPI_STATUS_DISCONNECTED);
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
    this.setStatus(NSAPI_STATUS_GLOBAL_UP);
    return NSAPI_ERROR_OK;
  }

  async disconnect(): Promise<number> {
    if (!this.connected) return NSAPI_ERROR_NO_CONNECTION;
    const result = await this.at.at_cmd_discard('+QIDEACT', `=${this.cid}`, PDP_DEACTIVATE_TIMEOUT_MS);
    this.connected = false;
    this.setStatus(NSAPI_STATUS_DISCONNECTED);
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

  /**
   * AT+CEREG=2 (CellularStateMachine::state_sim_pin → AT_CellularNetwork::set_registration_urc, the
   * BG96's RegistrationModeLAC), so a detach arrives as a URC. Upstream also enables +CREG and +CGREG;
   * on LTE only +CEREG tells, so tlssim keeps the UART to that one. A modem that refuses is no failure.
   */
  private async enableRegistrationUrc(): Promise<number> {
    await this.at.at_cmd_discard('+CEREG', '=2');
    return NSAPI_ERROR_OK;
  }

  /** AT+CEREG? until <stat> is 1 (home) or 5 (roaming). */
  private async waitRegistration(): Promise<number> {
    const deadline = this.clock.now() + (this.options.registrationTimeoutMs ?? 30_000);
    for (;;) {
      const status = await this.at.at_cmd_str('+CEREG', '?');
      const stat = status.ok ? Number(params(status.value)[1]) : -1;
      if (status.ok) this.registration = stat;
      if (stat === 1 || stat === 5) return NSAPI_ERROR_OK;
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
