import { type CommandTable, INVALID_PARAMS } from '../at/command-table.ts';
import { ParamError } from '../at/params.ts';
import { cmeError, ok } from '../at/response.ts';
import type { ModemContext } from '../modem-context.ts';

/** `<contextID>` range of the QI* commands. */
export const MAX_CONTEXT_ID = 16;
/** `+CME ERROR` / result when activation is impossible (radio off): open PDP context failed. */
export const PDP_OPEN_FAILED = 561;

/** AT+QICSGP, AT+QIACT, AT+QIDEACT: PDP contexts for the TCP/IP stack. */
export function registerPdpCommands(table: CommandTable, ctx: ModemContext): void {
  const { state } = ctx;
  const invalid = INVALID_PARAMS.tcpip;

  table.register(
    '+QICSGP',
    {
      test: () => ok(`+QICSGP: (1-${MAX_CONTEXT_ID}),(1-3),<APN>,<username>,<password>,(0-3)`),
      write: ({ params }) => {
        const id = params.expectCount(1, 6).int(0, 1, MAX_CONTEXT_ID);
        const context = state.context(id);
        if (params.count === 1) {
          return ok(
            `+QICSGP: ${context.type},"${context.apn}","${context.user}","${context.password}",${context.auth}`,
          );
        }
        params.expectCount(3, 6);
        if (params.count === 4) throw new ParamError('a user name needs a password');
        const type = params.int(1, 1, 3);
        const apn = params.string(2);
        const user = params.optString(3, '');
        const password = params.optString(4, '');
        const auth = params.optInt(5, 0, 3, 0);
        Object.assign(context, { type, apn, user, password, auth });
        return ok();
      },
    },
    invalid,
  );

  table.register(
    '+QIACT',
    {
      test: () => ok(`+QIACT: (1-${MAX_CONTEXT_ID})`),
      read: () =>
        ok(
          ...[...state.contexts.values()]
            .filter((context) => context.active)
            .sort((a, b) => a.id - b.id)
            .map((context) => `+QIACT: ${context.id},1,${context.type},"${ctx.options.pdpAddress}"`),
        ),
      write: ({ params }) => {
        const id = params.expectCount(1).int(0, 1, MAX_CONTEXT_ID);
        if (!state.registered) {
          state.lastSocketError = PDP_OPEN_FAILED;
          return cmeError(PDP_OPEN_FAILED);
        }
        // Activating an active context is answered OK (idempotent), so a driver's re-connect works.
        state.context(id).active = true;
        state.lastSocketError = 0;
        ctx.log.info(`PDP context ${id} active`);
        return ok();
      },
    },
    invalid,
  );

  table.register(
    '+QIDEACT',
    {
      test: () => ok(`+QIDEACT: (1-${MAX_CONTEXT_ID})`),
      write: ({ params }) => {
        const id = params.expectCount(1).int(0, 1, MAX_CONTEXT_ID);
        ctx.dropSockets(id);
        state.context(id).active = false;
        state.lastSocketError = 0;
        ctx.log.info(`PDP context ${id} deactivated`);
        return ok();
      },
    },
    invalid,
  );
}
