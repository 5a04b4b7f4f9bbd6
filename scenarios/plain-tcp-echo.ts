// Baseline without TLS: a TCPSocket echoes the Greentea sizes through the lab's plain TCP echo server,
// and a UDPSocket echoes datagrams. Everything crosses the UART in clear, in both modes.
import {
  defineScenario,
  expectCode,
  expectTrue,
  NSAPI_ERROR_OK,
  SocketAddress,
  TCPSocket,
  UDPSocket,
} from 'tlssim';

const SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200];

export default defineScenario({
  name: 'plain-tcp-echo',
  description: 'TCP and UDP echo without TLS: the baseline for UART overhead',
  servers: ['tcp-echo', 'udp-echo'],
  async app({ net, server, step }) {
    step('resolve the echo server');
    const echo = server('tcp-echo');
    const address = new SocketAddress();
    expectCode(`gethostbyname(${echo.host})`, await net.gethostbyname(echo.host, address), NSAPI_ERROR_OK);
    address.set_port(echo.port);

    step('open and connect a TCPSocket');
    const tcp = new TCPSocket();
    expectCode('open', tcp.open(net), NSAPI_ERROR_OK);
    expectCode('connect', await tcp.connect(address), NSAPI_ERROR_OK);
    for (const size of SIZES) {
      step(`echo ${size} bytes over TCP`);
      const out = Buffer.alloc(size);
      for (let i = 0; i < size; i++) out[i] = 0x30 + ((i * 7 + size) % 43); // '0'..'Z' as Greentea
      expectCode(`send(${size})`, await tcp.send(out), size);
      const back = Buffer.alloc(size);
      let got = 0;
      while (got < size) {
        const n = await tcp.recv(back.subarray(got));
        expectTrue(`recv after ${got} of ${size} bytes returned ${n}`, n > 0);
        got += n;
      }
      expectTrue(`echo of ${size} bytes matches`, back.equals(out));
    }
    expectCode('close', await tcp.close(), NSAPI_ERROR_OK);

    step('echo datagrams over UDP');
    const udpEcho = server('udp-echo');
    const udpAddress = new SocketAddress();
    expectCode('gethostbyname', await net.gethostbyname(udpEcho.host, udpAddress), NSAPI_ERROR_OK);
    udpAddress.set_port(udpEcho.port);
    const udp = new UDPSocket();
    expectCode('open', udp.open(net), NSAPI_ERROR_OK);
    udp.set_timeout(5000);
    for (const size of [1, 100, 1000, 1460]) {
      const datagram = Buffer.alloc(size, 0x41 + (size % 26));
      expectCode(`sendto(${size})`, await udp.sendto(udpAddress, datagram), size);
      const back = Buffer.alloc(1500);
      const from = new SocketAddress();
      expectCode(`recvfrom(${size})`, await udp.recvfrom(from, back), size);
      expectTrue(`datagram of ${size} bytes matches`, back.subarray(0, size).equals(datagram));
      expectTrue('datagram comes from the echo server', from.get_port() === udpEcho.port);
    }
    expectCode('close', await udp.close(), NSAPI_ERROR_OK);
  },
  uart: { plaintext: { present: ['AT+QIOPEN', 'AT+QISEND', 'AT+QIRD'] } },
});
