export { Bg96Modem } from './bg96-modem.ts';
export type { Clock } from './clock.ts';
export type { ClosedUrcPolicy, ModemIdentity, ModemOptions } from './modem-options.ts';
export { qfuplChecksum } from './ufs/checksum.ts';
