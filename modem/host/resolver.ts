import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export type Resolution =
  | { readonly ok: true; readonly addresses: readonly string[] }
  | { readonly ok: false; readonly code: number; readonly reason: string };

/** `+QIURC: "dnsgip",565` / `+QIOPEN: <id>,565`: DNS parse failed. */
export const DNS_PARSE_FAILED = 565;

/**
 * The modem's name service. Literal addresses resolve to themselves, `localhost` to 127.0.0.1, lab
 * names through the hosts table; anything else fails with 565 unless the user opted in to the system
 * resolver (never in tests: this machine's resolver is off-machine).
 */
export class HostResolver {
  constructor(
    private readonly hosts: ReadonlyMap<string, string>,
    private readonly allowSystemResolver: boolean,
  ) {}

  async resolve(name: string): Promise<Resolution> {
    if (isIP(name)) return { ok: true, addresses: [name] };
    const key = name.toLowerCase();
    if (key === 'localhost') return { ok: true, addresses: ['127.0.0.1'] };
    const mapped = this.hosts.get(key);
    if (mapped !== undefined) return { ok: true, addresses: [mapped] };
    if (!this.allowSystemResolver) {
      return { ok: false, code: DNS_PARSE_FAILED, reason: `${name} is not in the hosts table` };
    }
    try {
      const found = await lookup(name, { all: true });
      if (found.length === 0) return { ok: false, code: DNS_PARSE_FAILED, reason: `${name}: no address` };
      return { ok: true, addresses: found.map((entry) => entry.address) };
    } catch (err) {
      return { ok: false, code: DNS_PARSE_FAILED, reason: `${name}: ${(err as Error).message}` };
    }
  }
}
