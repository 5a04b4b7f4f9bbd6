export type { Clock } from '../shared/clock.ts';
export { CME_TEXT, cmeText } from './at/cme-errors.ts';
export { Bg96Modem } from './bg96-modem.ts';
export { TLS_OPEN_ERROR } from './host/tls-transport.ts';
export type { ClosedUrcPolicy, ModemIdentity, ModemOptions } from './modem-options.ts';
export { OPEN_ERROR } from './sockets/open-service.ts';
export { CIPHER_SUITES } from './ssl/cipher-suites.ts';
export { qfuplChecksum } from './ufs/checksum.ts';
