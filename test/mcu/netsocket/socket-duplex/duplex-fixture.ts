// The four Socket kinds the adapter must carry, each made and connected on an in-process device, so one
// test body runs over TCPSocket, both TLSSocket variants and a TLSSocketWrapper over a TCPSocket.
import type { Lab } from '../../../../lab/servers/lab.ts';
import type { ServerKind } from '../../../../lab/servers/server-kinds.ts';
import { resetConfig, setConfig } from '../../../../mcu/mbed-config.ts';
import type { Socket } from '../../../../mcu/netsocket/socket.ts';
import { TCPSocket } from '../../../../mcu/netsocket/tcp-socket.ts';
import { MbedtlsTLSSocket } from '../../../../mcu/tls/tls-socket-mbedtls.ts';
import { OffloadTLSSocket } from '../../../../mcu/tls/tls-socket-offload.ts';
import { TLSSocketWrapper } from '../../../../mcu/tls/tls-socket-wrapper.ts';
import { NSAPI_ERROR_OK } from '../../../../shared/nsapi.ts';
import { type Device, startDevice } from '../../tls/device-fixture.ts';

export type Variant = 'TCPSocket' | 'MbedtlsTLSSocket' | 'OffloadTLSSocket' | 'TLSSocketWrapper';
export const VARIANTS: readonly Variant[] = [
  'TCPSocket',
  'MbedtlsTLSSocket',
  'OffloadTLSSocket',
  'TLSSocketWrapper',
];

export const isTls = (variant: Variant) => variant !== 'TCPSocket';

/** Offload sockets need the stack built for offload (the config is read when the interface connects). */
export async function deviceFor(lab: Lab, variant: Variant): Promise<Device> {
  resetConfig();
  setConfig('nsapi.offload-tlssocket', variant === 'OffloadTLSSocket');
  return startDevice(lab);
}

export interface Opened {
  socket: Socket;
  /** configures the credentials and hostname, resolves the server and connects: the nsapi code */
  connect(): Promise<number>;
  /** the destructor, where the variant has one */
  destroy(): Promise<void>;
}

/**
 * A socket of `variant` for the lab server `kind` (plain kinds for TCPSocket, TLS kinds otherwise), made
 * and opened synchronously, as a stream builder must; what may wait (offload credentials go to the modem
 * with AT+QFUPL) happens in connect().
 */
export function openSocket(
  lab: Lab,
  device: Device,
  variant: Variant,
  kind: ServerKind,
  clientCert = false,
): Opened {
  const host = lab.server(kind).host;
  const { pki } = lab;
  const resolve = () => device.resolve(kind);
  switch (variant) {
    case 'TCPSocket': {
      const socket = new TCPSocket();
      check('open', socket.open(device.net));
      return { socket, connect: async () => socket.connect(await resolve()), destroy: async () => {} };
    }
    case 'MbedtlsTLSSocket': {
      const socket = new MbedtlsTLSSocket();
      check('open', socket.open(device.net));
      check('set_root_ca_cert', socket.set_root_ca_cert(pki.caPem));
      if (clientCert)
        check('set_client_cert_key', socket.set_client_cert_key(pki.clientCertPem, pki.clientKeyPem));
      socket.set_hostname(host);
      return {
        socket,
        connect: async () => socket.connect(await resolve()),
        destroy: () => socket.destroy(),
      };
    }
    case 'OffloadTLSSocket': {
      const socket = new OffloadTLSSocket();
      check('open', socket.open(device.net));
      const connect = async () => {
        check('set_root_ca_cert', await socket.set_root_ca_cert(pki.caPem));
        if (clientCert)
          check('set_client_cert_key', await socket.set_client_cert_key(pki.clientCertPem, pki.clientKeyPem));
        check('set_hostname', await socket.set_hostname(host));
        return socket.connect(await resolve());
      };
      return { socket, connect, destroy: () => socket.destroy() };
    }
    case 'TLSSocketWrapper': {
      const tcp = new TCPSocket();
      check('open', tcp.open(device.net));
      const socket = new TLSSocketWrapper(tcp, host);
      check('set_root_ca_cert', socket.set_root_ca_cert(pki.caPem));
      if (clientCert)
        check('set_client_cert_key', socket.set_client_cert_key(pki.clientCertPem, pki.clientKeyPem));
      return {
        socket,
        connect: async () => socket.connect(await resolve()),
        destroy: () => socket.destroy(),
      };
    }
  }
}

function check(what: string, ret: number): void {
  if (ret !== NSAPI_ERROR_OK) throw new Error(`${what} returned ${ret}`);
}
