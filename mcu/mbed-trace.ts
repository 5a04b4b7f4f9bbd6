// mbed-trace's API (tr_debug / tr_info / tr_warn / tr_error with a trace group), as Mbed OS code calls
// it, on the process logger (shared/log.ts): each group belongs to a channel, so TLSSIM_DEBUG=tls turns
// on the TLS wrapper's debug lines.
import { debugWhen, log } from '../shared/log.ts';
import { tlsSocketDebugLevel } from './mbed-config.ts';

/** Trace groups to logger channels; a group not listed is its own channel, in lower case. */
const CHANNEL_OF_GROUP: Record<string, string> = { TLSW: 'tls', DTLS: 'tls', CELL: 'cellular', AT: 'at' };

// Setting tls-socket.debug-level asks for Mbed TLS's debug output, which goes out as tr_debug lines.
debugWhen('tls', () => tlsSocketDebugLevel() > 0);

const loggerFor = (group: string) => log.child(CHANNEL_OF_GROUP[group] ?? group.toLowerCase(), group);

export const tr_debug = (group: string, message: string) => loggerFor(group).debug(message);
export const tr_info = (group: string, message: string) => loggerFor(group).info(message);
export const tr_warn = (group: string, message: string) => loggerFor(group).warn(message);
export const tr_error = (group: string, message: string) => loggerFor(group).error(message);
