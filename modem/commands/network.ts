import { type CommandTable, INVALID_PARAMS } from '../at/command-table.ts';
import { ParamError } from '../at/params.ts';
import { ok } from '../at/response.ts';
import type { ModemContext } from '../modem-context.ts';
import type { Functionality } from '../modem-state.ts';

/** Signal quality reported while registered: rssi 25 (about -63 dBm), ber unknown. */
const RSSI = 25;

/** SIM, signal, registration and functionality: a simulated home network that is always there. */
export function registerNetworkCommands(table: CommandTable, ctx: ModemContext): void {
  const { state } = ctx;
  const invalid = INVALID_PARAMS.general;

  table.register('+CPIN', { test: () => ok(), read: () => ok('+CPIN: READY') });

  table.register('+CSQ', {
    test: () => ok('+CSQ: (0-31,99),(0-7,99)'),
    exec: () => ok(state.registered ? `+CSQ: ${RSSI},99` : '+CSQ: 99,99'),
  });

  for (const name of ['CREG', 'CGREG', 'CEREG'] as const) {
    table.register(
      `+${name}`,
      {
        test: () => ok(`+${name}: (0-2)`),
        read: () => {
          const n = state.registrationUrc[name];
          const stat = state.registered ? 1 : 0;
          // n=2 adds location: tracking area / LAC, cell id, access technology (8 = LTE Cat M1).
          return ok(
            n === 2 && stat === 1 ? `+${name}: ${n},${stat},"1A2B","01A2B3C4",8` : `+${name}: ${n},${stat}`,
          );
        },
        write: ({ params }) => {
          state.registrationUrc[name] = params.expectCount(1).int(0, 0, 2);
          return ok();
        },
      },
      invalid,
    );
  }

  table.register(
    '+CGATT',
    {
      test: () => ok('+CGATT: (0,1)'),
      read: () => ok(`+CGATT: ${state.registered ? 1 : 0}`),
      write: ({ params }) => {
        params.expectCount(1).int(0, 0, 1);
        return ok();
      },
    },
    invalid,
  );

  table.register(
    '+CFUN',
    {
      test: () => ok('+CFUN: (0,1,4),(0-1)'),
      read: () => ok(`+CFUN: ${state.functionality}`),
      write: ({ params }) => {
        params.expectCount(1, 2);
        const fun = params.int(0, 0, 4);
        if (fun !== 0 && fun !== 1 && fun !== 4) throw new ParamError('CFUN accepts 0, 1 or 4');
        const reset = params.optInt(1, 0, 1, 0) === 1;
        if (reset) {
          ctx.reboot();
          return ok();
        }
        setFunctionality(ctx, fun);
        return ok();
      },
    },
    invalid,
  );
}

/** Radio off drops registration, PDP contexts and their sockets; radio on registers again. */
function setFunctionality(ctx: ModemContext, fun: Functionality): void {
  const { state } = ctx;
  const wasRegistered = state.registered;
  state.functionality = fun;
  if (wasRegistered === state.registered) return;
  if (!state.registered) {
    for (const context of state.contexts.values()) {
      if (!context.active) continue;
      ctx.dropSockets(context.id);
      context.active = false;
      ctx.urc(`+QIURC: "pdpdeact",${context.id}`);
    }
  }
  reportRegistration(ctx);
}

/**
 * The registration URCs the host enabled with AT+CREG/CGREG/CEREG=<n> (3GPP TS 27.007): n=1 the
 * status alone, n=2 with tracking area, cell id and access technology while registered.
 */
export function reportRegistration(ctx: ModemContext): void {
  const { state } = ctx;
  const stat = state.registered ? 1 : 0;
  for (const name of ['CREG', 'CGREG', 'CEREG'] as const) {
    const n = state.registrationUrc[name];
    if (n === 0) continue;
    ctx.urc(n === 2 && stat === 1 ? `+${name}: ${stat},"1A2B","01A2B3C4",8` : `+${name}: ${stat}`);
  }
}
