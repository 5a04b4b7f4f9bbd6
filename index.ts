// The `tlssim` package as scenarios import it: Mbed OS-named device API plus defineScenario.

export type { AppNetwork, NetworkEventName, NetworkEventSpec } from './lab/scenario/app-network.ts';
export { expectCode, expectTrue, ScenarioFailure } from './lab/scenario/scenario-failure.ts';
export type { AppContext, Mode, ScenarioDefinition, ServerEndpoint } from './lab/scenario/scenario-types.ts';
export { defineScenario } from './lab/scenario/scenario-types.ts';
export {
  CellularInterface,
  CellularRegistrationStatusChanged,
  type StatusCallback,
} from './mcu/cellular/cellular-interface.ts';
export { getConfig, setConfig } from './mcu/mbed-config.ts';
export { InternetSocket } from './mcu/netsocket/internet-socket.ts';
export { NetworkStack } from './mcu/netsocket/network-stack.ts';
export type { Socket } from './mcu/netsocket/socket.ts';
export type { NsapiError } from './mcu/netsocket/socket-duplex/nsapi-error.ts';
export type { SocketDuplexOptions, SocketDuplexStats } from './mcu/netsocket/socket-duplex/socket-duplex.ts';
export { SocketDuplex, toDuplex } from './mcu/netsocket/socket-duplex/socket-duplex.ts';
export { TCPSocket } from './mcu/netsocket/tcp-socket.ts';
export { UDPSocket } from './mcu/netsocket/udp-socket.ts';
export { DTLSSocket } from './mcu/tls/dtls-socket.ts';
export { DTLSSocketWrapper } from './mcu/tls/dtls-socket-wrapper.ts';
export * from './mcu/tls/mbedtls/constants.ts';
export { SslConfig } from './mcu/tls/mbedtls/ssl-config.ts';
export { SslSession } from './mcu/tls/mbedtls/ssl-session.ts';
export { X509Crt } from './mcu/tls/mbedtls/x509-crt.ts';
export { TLSSocket } from './mcu/tls/tls-socket.ts';
export { MbedtlsTLSSocket } from './mcu/tls/tls-socket-mbedtls.ts';
export { OffloadTLSSocket } from './mcu/tls/tls-socket-offload.ts';
export { control_transport, TLSSocketWrapper } from './mcu/tls/tls-socket-wrapper.ts';
export * from './shared/nsapi.ts';
export { SocketAddress } from './shared/socket-address.ts';
