import { type CommandTable, INVALID_PARAMS } from '../at/command-table.ts';
import type { CmeeMode } from '../at/encode.ts';
import { ok } from '../at/response.ts';
import type { ModemContext } from '../modem-context.ts';

/** AT, ATE0/ATE1, AT+CMEE: the framing settings every driver sets first. */
export function registerGeneralCommands(table: CommandTable, ctx: ModemContext): void {
  const { state } = ctx;
  const invalid = INVALID_PARAMS.general;

  table.register('', { exec: () => ok() });

  table.register(
    'E',
    {
      exec: ({ params }) => {
        state.echo = params.optInt(0, 0, 1, 0) === 1;
        return ok();
      },
    },
    invalid,
  );

  table.register(
    '+CMEE',
    {
      test: () => ok('+CMEE: (0-2)'),
      read: () => ok(`+CMEE: ${state.cmee}`),
      write: ({ params }) => {
        state.cmee = params.expectCount(1).int(0, 0, 2) as CmeeMode;
        return ok();
      },
    },
    invalid,
  );
}
