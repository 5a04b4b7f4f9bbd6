// Mbed OS nsapi_types.h constants, with Mbed OS names and values (mbed-os connectivity/netsocket/include/netsocket/nsapi_types.h), so that application code
// and logs read exactly as on a device.

/** nsapi_error_t: negative numbers are errors. */
export const NSAPI_ERROR_OK = 0;
export const NSAPI_ERROR_WOULD_BLOCK = -3001;
export const NSAPI_ERROR_UNSUPPORTED = -3002;
export const NSAPI_ERROR_PARAMETER = -3003;
export const NSAPI_ERROR_NO_CONNECTION = -3004;
export const NSAPI_ERROR_NO_SOCKET = -3005;
export const NSAPI_ERROR_NO_ADDRESS = -3006;
export const NSAPI_ERROR_NO_MEMORY = -3007;
export const NSAPI_ERROR_NO_SSID = -3008;
export const NSAPI_ERROR_DNS_FAILURE = -3009;
export const NSAPI_ERROR_DHCP_FAILURE = -3010;
export const NSAPI_ERROR_AUTH_FAILURE = -3011;
export const NSAPI_ERROR_DEVICE_ERROR = -3012;
export const NSAPI_ERROR_IN_PROGRESS = -3013;
export const NSAPI_ERROR_ALREADY = -3014;
export const NSAPI_ERROR_IS_CONNECTED = -3015;
export const NSAPI_ERROR_CONNECTION_LOST = -3016;
export const NSAPI_ERROR_CONNECTION_TIMEOUT = -3017;
export const NSAPI_ERROR_ADDRESS_IN_USE = -3018;
export const NSAPI_ERROR_TIMEOUT = -3019;
export const NSAPI_ERROR_BUSY = -3020;

export type nsapi_error_t = number;
export type nsapi_size_or_error_t = number;

const ERROR_NAMES: Record<number, string> = {
  [NSAPI_ERROR_OK]: 'NSAPI_ERROR_OK',
  [NSAPI_ERROR_WOULD_BLOCK]: 'NSAPI_ERROR_WOULD_BLOCK',
  [NSAPI_ERROR_UNSUPPORTED]: 'NSAPI_ERROR_UNSUPPORTED',
  [NSAPI_ERROR_PARAMETER]: 'NSAPI_ERROR_PARAMETER',
  [NSAPI_ERROR_NO_CONNECTION]: 'NSAPI_ERROR_NO_CONNECTION',
  [NSAPI_ERROR_NO_SOCKET]: 'NSAPI_ERROR_NO_SOCKET',
  [NSAPI_ERROR_NO_ADDRESS]: 'NSAPI_ERROR_NO_ADDRESS',
  [NSAPI_ERROR_NO_MEMORY]: 'NSAPI_ERROR_NO_MEMORY',
  [NSAPI_ERROR_NO_SSID]: 'NSAPI_ERROR_NO_SSID',
  [NSAPI_ERROR_DNS_FAILURE]: 'NSAPI_ERROR_DNS_FAILURE',
  [NSAPI_ERROR_DHCP_FAILURE]: 'NSAPI_ERROR_DHCP_FAILURE',
  [NSAPI_ERROR_AUTH_FAILURE]: 'NSAPI_ERROR_AUTH_FAILURE',
  [NSAPI_ERROR_DEVICE_ERROR]: 'NSAPI_ERROR_DEVICE_ERROR',
  [NSAPI_ERROR_IN_PROGRESS]: 'NSAPI_ERROR_IN_PROGRESS',
  [NSAPI_ERROR_ALREADY]: 'NSAPI_ERROR_ALREADY',
  [NSAPI_ERROR_IS_CONNECTED]: 'NSAPI_ERROR_IS_CONNECTED',
  [NSAPI_ERROR_CONNECTION_LOST]: 'NSAPI_ERROR_CONNECTION_LOST',
  [NSAPI_ERROR_CONNECTION_TIMEOUT]: 'NSAPI_ERROR_CONNECTION_TIMEOUT',
  [NSAPI_ERROR_ADDRESS_IN_USE]: 'NSAPI_ERROR_ADDRESS_IN_USE',
  [NSAPI_ERROR_TIMEOUT]: 'NSAPI_ERROR_TIMEOUT',
  [NSAPI_ERROR_BUSY]: 'NSAPI_ERROR_BUSY',
};

/** "NSAPI_ERROR_AUTH_FAILURE (-3011)" for failure messages; sizes print as plain numbers. */
export function nsapiErrorName(code: number): string {
  const name = ERROR_NAMES[code];
  return name ? `${name} (${code})` : String(code);
}

/** nsapi_connection_status_t */
export const NSAPI_STATUS_LOCAL_UP = 0;
export const NSAPI_STATUS_GLOBAL_UP = 1;
export const NSAPI_STATUS_DISCONNECTED = 2;
export const NSAPI_STATUS_CONNECTING = 3;
export const NSAPI_STATUS_ERROR_UNSUPPORTED = NSAPI_ERROR_UNSUPPORTED;

/** nsapi_event_t */
export const NSAPI_EVENT_CONNECTION_STATUS_CHANGE = 0;
export const NSAPI_EVENT_CELLULAR_STATUS_BASE = 0x1000;
export const NSAPI_EVENT_CELLULAR_STATUS_END = 0x1fff;

/** Sizes (nsapi_types.h). */
export const NSAPI_INTERFACE_PREFIX_SIZE = 2;
export const NSAPI_INTERFACE_NAME_MAX_SIZE = 6;
export const NSAPI_MAC_SIZE = 18;
export const NSAPI_MAC_BYTES = 6;
export const NSAPI_IPv4_SIZE = 16;
export const NSAPI_IPv4_BYTES = 4;
export const NSAPI_IPv6_SIZE = 40;
export const NSAPI_IPv6_BYTES = 16;
export const NSAPI_IP_SIZE = NSAPI_IPv6_SIZE;
export const NSAPI_IP_BYTES = NSAPI_IPv6_BYTES;

/** nsapi_version_t */
export const NSAPI_UNSPEC = 0;
export const NSAPI_IPv4 = 1;
export const NSAPI_IPv6 = 2;
export type nsapi_version_t = typeof NSAPI_UNSPEC | typeof NSAPI_IPv4 | typeof NSAPI_IPv6;

/** nsapi_protocol_t */
export const NSAPI_TCP = 0;
export const NSAPI_UDP = 1;
export const NSAPI_ICMP = 2;
export type nsapi_protocol_t = typeof NSAPI_TCP | typeof NSAPI_UDP | typeof NSAPI_ICMP;

/** nsapi_ip_stack_t */
export const DEFAULT_STACK = 0;
export const IPV4_STACK = 1;
export const IPV6_STACK = 2;
export const IPV4V6_STACK = 3;

/** nsapi_security_t */
export const NSAPI_SECURITY_NONE = 0x0;
export const NSAPI_SECURITY_WEP = 0x1;
export const NSAPI_SECURITY_WPA = 0x2;
export const NSAPI_SECURITY_WPA2 = 0x3;
export const NSAPI_SECURITY_WPA_WPA2 = 0x4;
export const NSAPI_SECURITY_PAP = 0x5;
export const NSAPI_SECURITY_CHAP = 0x6;
export const NSAPI_SECURITY_EAP_TLS = 0x7;
export const NSAPI_SECURITY_PEAP = 0x8;
export const NSAPI_SECURITY_WPA2_ENT = 0x9;
export const NSAPI_SECURITY_WPA3 = 0xa;
export const NSAPI_SECURITY_WPA3_WPA2 = 0xb;
export const NSAPI_SECURITY_UNKNOWN = 0xff;

/** Stack level options (nsapi_types.h, nsapi_stack_option). */
export const NSAPI_STACK = 5000;
export const NSAPI_IPV4_MRU = 0;
export const NSAPI_IPV6_MRU = 1;

/** Socket level options (nsapi_types.h, nsapi_socket_option). */
export const NSAPI_SOCKET = 7000;
export const NSAPI_REUSEADDR = 0;
export const NSAPI_KEEPALIVE = 1;
export const NSAPI_KEEPIDLE = 2;
export const NSAPI_KEEPINTVL = 3;
export const NSAPI_LINGER = 4;
export const NSAPI_SNDBUF = 5;
export const NSAPI_RCVBUF = 6;
export const NSAPI_ADD_MEMBERSHIP = 7;
export const NSAPI_DROP_MEMBERSHIP = 8;
export const NSAPI_BIND_TO_DEVICE = 9;
export const NSAPI_LATENCY = 10;
export const NSAPI_STAGGER = 11;
export const NSAPI_IPTOS = 12;
export const NSAPI_BROADCAST = 13;
export const NSAPI_PKTINFO = 14;

/** TLS socket level options (nsapi_types.h, nsapi_tlssocket_option): exactly five, in every Mbed OS version. */
export const NSAPI_TLSSOCKET_LEVEL = 7099;
export const NSAPI_TLSSOCKET_SET_HOSTNAME = 0;
export const NSAPI_TLSSOCKET_SET_CACERT = 1;
export const NSAPI_TLSSOCKET_SET_CLCERT = 2;
export const NSAPI_TLSSOCKET_SET_CLKEY = 3;
export const NSAPI_TLSSOCKET_ENABLE = 4;

/**
 * tlssim's extension, not an Mbed OS option: turns the modem's TLS session resumption on or off
 * (optval a bool). The BG96 driver sends AT+QSSLCFG="session",<ctx>,<0|1> (BG96 SSL AT Commands Manual);
 * the Mbed OS driver has no such option, so there every offloaded reconnect is a full handshake.
 */
export const TLSSIM_TLSSOCKET_SESSION_RESUMPTION = 100;

/** SocketStats socket_state (connectivity/netsocket/include/netsocket/SocketStats.h). */
export const SOCK_CLOSED = 0;
export const SOCK_OPEN = 1;
export const SOCK_CONNECTED = 2;
export const SOCK_LISTEN = 3;
