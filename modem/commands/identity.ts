import type { CommandTable } from '../at/command-table.ts';
import { ok } from '../at/response.ts';
import type { ModemContext } from '../modem-context.ts';

/** ATI and the 3GPP/V.25ter identification commands. */
export function registerIdentityCommands(table: CommandTable, ctx: ModemContext): void {
  const { manufacturer, model, revision, imei } = ctx.options.identity;
  const answer = (line: string) => ({ test: () => ok(), exec: () => ok(line) });

  table.register('I', { exec: () => ok(manufacturer, model, `Revision: ${revision}`) });
  for (const name of ['+GMI', '+CGMI']) table.register(name, answer(manufacturer));
  for (const name of ['+GMM', '+CGMM']) table.register(name, answer(model));
  for (const name of ['+GMR', '+CGMR']) table.register(name, answer(revision));
  for (const name of ['+GSN', '+CGSN']) table.register(name, answer(imei));
}
