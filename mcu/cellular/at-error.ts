// Why an AT exchange failed. Every failure surfaces to sockets as NSAPI_ERROR_DEVICE_ERROR (as in Mbed
// OS's ATHandler); the detail is kept for logs and for drivers that look at the CME code.
import { NSAPI_ERROR_DEVICE_ERROR } from '../../shared/nsapi.ts';

/** framing: the response broke its framing (a length that did not describe the data, a bad counter) */
export type AtFailure = 'error' | 'cme' | 'timeout' | 'closed' | 'framing';

export class AtError extends Error {
  readonly nsapiError = NSAPI_ERROR_DEVICE_ERROR;
  constructor(
    readonly failure: AtFailure,
    message: string,
    /** the +CME ERROR number, when the modem gave one */
    readonly cme?: number,
  ) {
    super(message);
  }
}
