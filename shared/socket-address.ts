// SocketAddress with Mbed OS semantics (mbed-os connectivity/netsocket/source/SocketAddress.cpp): literal addresses only, never name resolution.
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from './ip-text.ts';
import { NSAPI_IPv4, NSAPI_IPv6, NSAPI_UNSPEC, type nsapi_version_t } from './nsapi.ts';

export interface nsapi_addr_t {
  version: nsapi_version_t;
  bytes: Uint8Array; // 16 bytes, big-endian; IPv4 uses the first 4
}

export class SocketAddress {
  private version: nsapi_version_t = NSAPI_UNSPEC;
  private readonly bytes = new Uint8Array(16);
  private port = 0;
  private textCache: string | null = null;

  constructor();
  constructor(other: SocketAddress);
  constructor(addr: nsapi_addr_t, port?: number);
  constructor(text: string | null, port?: number);
  constructor(bytes: Uint8Array, version: nsapi_version_t, port?: number);
  constructor(
    a?: SocketAddress | nsapi_addr_t | string | null | Uint8Array,
    b?: number | nsapi_version_t,
    c?: number,
  ) {
    if (a instanceof SocketAddress) {
      this.set_addr(a.get_addr());
      this.port = a.port;
    } else if (a instanceof Uint8Array) {
      this.set_ip_bytes(a, (b ?? NSAPI_UNSPEC) as nsapi_version_t);
      this.port = c ?? 0;
    } else if (typeof a === 'string' || a === null) {
      if (a !== null) this.set_ip_address(a);
      this.port = b ?? 0;
    } else if (a) {
      this.set_addr(a);
      this.port = b ?? 0;
    }
  }

  /** Accepts literal IPv4/IPv6 only; anything else resets the address to UNSPEC (port kept) and returns false. */
  set_ip_address(text: string | null | undefined): boolean {
    this.textCache = null;
    const v4 = text ? parseIPv4(text) : null;
    const v6 = !v4 && text ? parseIPv6(text) : null;
    this.bytes.fill(0);
    if (v4) {
      this.version = NSAPI_IPv4;
      this.bytes.set(v4);
      return true;
    }
    if (v6) {
      this.version = NSAPI_IPv6;
      this.bytes.set(v6);
      return true;
    }
    this.version = NSAPI_UNSPEC;
    return false;
  }

  set_ip_bytes(bytes: Uint8Array, version: nsapi_version_t): void {
    this.textCache = null;
    this.version = version;
    this.bytes.fill(0);
    if (version === NSAPI_IPv4) this.bytes.set(bytes.subarray(0, 4));
    else if (version === NSAPI_IPv6) this.bytes.set(bytes.subarray(0, 16));
  }

  set_addr(addr: nsapi_addr_t): void {
    this.set_ip_bytes(addr.bytes, addr.version);
  }

  set_port(port: number): void {
    this.port = port & 0xffff;
  }

  /** null when UNSPEC, else the cached text form (IPv6 compressed). */
  get_ip_address(): string | null {
    if (this.version === NSAPI_UNSPEC) return null;
    this.textCache ??= this.version === NSAPI_IPv4 ? formatIPv4(this.bytes) : formatIPv6(this.bytes);
    return this.textCache;
  }

  get_ip_bytes(): Uint8Array {
    return this.bytes.slice();
  }

  get_addr(): nsapi_addr_t {
    return { version: this.version, bytes: this.bytes.slice() };
  }

  get_ip_version(): nsapi_version_t {
    return this.version;
  }

  get_port(): number {
    return this.port;
  }

  /** operator bool: false for UNSPEC and for the all-zero address of either version. */
  isValid(): boolean {
    if (this.version === NSAPI_UNSPEC) return false;
    const len = this.version === NSAPI_IPv4 ? 4 : 16;
    return this.bytes.subarray(0, len).some((b) => b !== 0);
  }

  /** operator==: two invalid addresses are equal whatever their version/port. */
  equals(other: SocketAddress): boolean {
    if (!this.isValid() && !other.isValid()) return true;
    if (this.version !== other.version || this.port !== other.port) return false;
    const len = this.version === NSAPI_IPv4 ? 4 : 16;
    for (let i = 0; i < len; i++) if (this.bytes[i] !== other.bytes[i]) return false;
    return true;
  }

  toString(): string {
    const ip = this.get_ip_address() ?? '(unspec)';
    return this.version === NSAPI_IPv6 ? `[${ip}]:${this.port}` : `${ip}:${this.port}`;
  }
}
