import type { CmeeMode } from './at/encode.ts';

/** A PDP context as AT+QICSGP configures it and AT+QIACT activates it. */
export interface PdpContext {
  readonly id: number;
  /** 1 IPv4, 2 IPv6, 3 IPv4v6. */
  type: number;
  apn: string;
  user: string;
  password: string;
  /** 0 none, 1 PAP, 2 CHAP, 3 PAP or CHAP. */
  auth: number;
  active: boolean;
}

/** `+CFUN` levels the BG96 accepts: minimum, full, radio off. */
export type Functionality = 0 | 1 | 4;

/** Settings and network state that survive between commands (sockets and files live elsewhere). */
export class ModemState {
  /** ATE: on at boot, like a real BG96. */
  echo = true;
  /** AT+CMEE: the BG96 default is 1 (numeric). */
  cmee: CmeeMode = 1;
  functionality: Functionality = 1;
  /** AT+CREG=<n> / AT+CEREG=<n> / AT+CGREG=<n>: whether registration changes are reported as URCs. */
  readonly registrationUrc = { CREG: 0, CGREG: 0, CEREG: 0 };
  /** The `<err>` AT+QIGETERROR reports: the result of the last TCP/IP operation. */
  lastSocketError = 0;
  readonly contexts = new Map<number, PdpContext>();
  /** The network keeps the modem attached (a detach event clears it, reattach sets it again). */
  networkAttached = true;

  /** Registered on the (simulated) home network whenever the radio is on and the network allows. */
  get registered(): boolean {
    return this.functionality === 1 && this.networkAttached;
  }

  context(id: number): PdpContext {
    let ctx = this.contexts.get(id);
    if (!ctx) {
      ctx = { id, type: 1, apn: '', user: '', password: '', auth: 0, active: false };
      this.contexts.set(id, ctx);
    }
    return ctx;
  }

  /** Power-on defaults (AT+CFUN=1,1 reboots into these). PDP configuration is kept, as in NV. */
  resetSession(): void {
    this.echo = true;
    this.cmee = 1;
    this.functionality = 1;
    this.registrationUrc.CREG = 0;
    this.registrationUrc.CGREG = 0;
    this.registrationUrc.CEREG = 0;
    this.lastSocketError = 0;
    for (const ctx of this.contexts.values()) ctx.active = false;
  }
}
