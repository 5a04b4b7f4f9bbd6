import { type CommandTable, INVALID_PARAMS } from '../at/command-table.ts';
import { ParamError } from '../at/params.ts';
import { ok } from '../at/response.ts';
import type { ModemContext } from '../modem-context.ts';
import { OPEN_ERROR } from '../sockets/open-service.ts';
import { MAX_CONTEXT_ID } from './pdp.ts';

/** The `<IPv4_dns_TTL>` the dnsgip URC reports, in seconds. */
const DNS_TTL = 600;

/**
 * AT+QIDNSGIP: answers OK at once, then `+QIURC: "dnsgip",<err>,<count>,<ttl>` and one
 * `+QIURC: "dnsgip","<ip>"` per address; a failure is `+QIURC: "dnsgip",<err>` alone.
 * AT+QIDNSCFG is accepted and remembered, but the modem's resolver never asks a DNS server.
 */
export function registerDnsCommands(table: CommandTable, ctx: ModemContext): void {
  const invalid = INVALID_PARAMS.tcpip;
  const servers = new Map<number, [string, string]>();

  table.register(
    '+QIDNSGIP',
    {
      test: () => ok(`+QIDNSGIP: (1-${MAX_CONTEXT_ID}),<hostname>`),
      write: ({ params }) => {
        const contextId = params.expectCount(2).int(0, 1, MAX_CONTEXT_ID);
        const host = params.string(1);
        if (host === '') throw new ParamError('empty host name');
        if (!ctx.state.context(contextId).active) {
          ctx.urc(`+QIURC: "dnsgip",${OPEN_ERROR.pdpNotActive}`);
          return ok();
        }
        void ctx.resolver.resolve(host).then((result) => {
          if (!result.ok) {
            ctx.log.info(`dns ${host}: ${result.reason}`);
            ctx.state.lastSocketError = result.code;
            ctx.urc(`+QIURC: "dnsgip",${result.code}`);
            return;
          }
          ctx.log.info(`dns ${host} -> ${result.addresses.join(', ')}`);
          ctx.urc(`+QIURC: "dnsgip",0,${result.addresses.length},${DNS_TTL}`);
          for (const address of result.addresses) ctx.urc(`+QIURC: "dnsgip","${address}"`);
        });
        return ok();
      },
    },
    invalid,
  );

  table.register(
    '+QIDNSCFG',
    {
      test: () => ok(`+QIDNSCFG: (1-${MAX_CONTEXT_ID}),<pridnsaddr>,<secdnsaddr>`),
      write: ({ params }) => {
        const contextId = params.expectCount(1, 3).int(0, 1, MAX_CONTEXT_ID);
        const current = servers.get(contextId) ?? ['0.0.0.0', '0.0.0.0'];
        if (params.count === 1) return ok(`+QIDNSCFG: ${contextId},"${current[0]}","${current[1]}"`);
        servers.set(contextId, [params.string(1), params.optString(2, current[1])]);
        return ok();
      },
    },
    invalid,
  );
}
