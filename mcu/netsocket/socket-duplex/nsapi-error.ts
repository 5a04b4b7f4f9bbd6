// An nsapi code as a Node error, so stream users (MQTT.js, http) see what went wrong in their own terms:
// `code` is the Mbed OS name (a string, as Node's 'ECONNRESET'), `errno` the number, `syscall` the Socket
// method that returned it (Node's ErrnoException fields, doc/api/errors.md "Class: SystemError").
import { nsapiErrorName } from '../../../shared/nsapi.ts';

export interface NsapiError extends Error {
  /** e.g. 'NSAPI_ERROR_NO_CONNECTION' */
  code: string;
  /** e.g. -3004 */
  errno: number;
  /** the Socket method that returned the code: 'connect', 'send', 'recv', 'close' */
  syscall: string;
}

/** The Mbed OS name of an nsapi code; NSAPI_ERROR_UNKNOWN for a number nsapi.h does not name. */
export function nsapiCodeName(code: number): string {
  const name = nsapiErrorName(code).split(' ')[0];
  return name.startsWith('NSAPI_') ? name : 'NSAPI_ERROR_UNKNOWN';
}

export function nsapiError(syscall: string, code: number): NsapiError {
  const name = nsapiCodeName(code);
  const error = new Error(`${syscall}() returned ${name} (${code})`) as NsapiError;
  error.code = name;
  error.errno = code;
  error.syscall = syscall;
  return error;
}
