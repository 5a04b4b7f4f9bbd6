// Where TLS runs, decided in one place. In Mbed OS one configuration macro,
// MBED_CONF_NSAPI_OFFLOAD_TLSSOCKET (connectivity/netsocket/mbed_lib.json), selects both the TLSSocket
// an application gets (netsocket/TLSSocket.h) and whether the network stack compiles its
// setsockopt(NSAPI_TLSSOCKET_LEVEL) path (#if in QUECTEL_BG96_CellularStack.cpp). Here the TLSSocket
// factory and the cellular interface both ask this function, so they cannot disagree.
import { offloadTlsSocket } from '../mbed-config.ts';

/** 'mbedtls': the MCU runs TLS over plain stack sockets; 'offload': the network stack (modem) runs it. */
export type TlsSocketVariant = 'mbedtls' | 'offload';

/** Read at the moment of asking, as the runner may set `nsapi.offload-tlssocket` before the app starts. */
export function tlsSocketVariant(): TlsSocketVariant {
  return offloadTlsSocket() ? 'offload' : 'mbedtls';
}
