// What a library needs from the device, made once for the MQTT and HTTPS scenarios: a Node Duplex over a
// fresh TLSSocket (the variant the mode selects) that resolves the server's name through the modem,
// sets the lab CA and the hostname, and connects when the library starts writing. The stream owns the
// socket and destroys it when it closes.
import {
  type AppContext,
  NSAPI_ERROR_OK,
  type ServerEndpoint,
  SocketAddress,
  type SocketDuplex,
  TLSSocket,
  toDuplex,
} from 'tlssim';

export function secureStream(net: AppContext['net'], endpoint: ServerEndpoint, caPem: string): SocketDuplex {
  const socket = new TLSSocket();
  socket.open(net);
  return toDuplex(socket, {
    destroySocket: true,
    connect: async () => {
      const address = new SocketAddress();
      const dns = await net.gethostbyname(endpoint.host, address);
      if (dns !== NSAPI_ERROR_OK) return dns;
      address.set_port(endpoint.port);
      await socket.set_root_ca_cert(caPem);
      await socket.set_hostname(endpoint.host);
      return socket.connect(address);
    },
  });
}
