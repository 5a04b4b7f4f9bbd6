// TLSSocket as applications name it: which implementation it is comes from the configuration key
// `nsapi.offload-tlssocket` (mbed_app.json, or the runner's --mode), as the preprocessor decides in
// Mbed OS. One application source then runs in both modes.
import { tlsSocketVariant } from '../netsocket/tls-socket-variant.ts';
import { MbedtlsTLSSocket } from './tls-socket-mbedtls.ts';
import { OffloadTLSSocket } from './tls-socket-offload.ts';

/** The methods both variants share (return types differ where Mbed OS's do, e.g. set_hostname). */
export type TLSSocket = MbedtlsTLSSocket | OffloadTLSSocket;

export interface TLSSocketConstructor {
  new (): TLSSocket;
}

/** `new TLSSocket()` builds the variant selected by the configuration at that moment. */
export const TLSSocket = function TLSSocket(this: unknown) {
  return tlsSocketVariant() === 'offload' ? new OffloadTLSSocket() : new MbedtlsTLSSocket();
} as unknown as TLSSocketConstructor;
