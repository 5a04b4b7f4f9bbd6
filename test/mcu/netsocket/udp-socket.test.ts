import { expect } from 'chai';
import { UDPSocket } from '../../../mcu/netsocket/udp-socket.ts';
import {
  NSAPI_ERROR_NO_ADDRESS,
  NSAPI_ERROR_NO_SOCKET,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_UNSUPPORTED,
  NSAPI_ERROR_WOULD_BLOCK,
} from '../../../shared/nsapi.ts';
import { SocketAddress } from '../../../shared/socket-address.ts';
import { NetworkStackStub } from './network-stack-stub.ts';

describe('UDPSocket (mbed-os InternetDatagramSocket.cpp)', () => {
  let stack: NetworkStackStub;
  let socket: UDPSocket;
  beforeEach(() => {
    stack = new NetworkStackStub();
    socket = new UDPSocket();
  });

  it('connect only records the peer and never fails, even unopened', async () => {
    expect(await socket.connect(new SocketAddress('127.0.0.1', 7))).to.equal(NSAPI_ERROR_OK);
    expect(stack.calls).to.deep.equal([]);
  });

  it('send without a peer is NO_ADDRESS; with a peer it is sendto(peer)', async () => {
    socket.open(stack);
    expect(await socket.send(new Uint8Array(3))).to.equal(NSAPI_ERROR_NO_ADDRESS);
    await socket.connect(new SocketAddress('127.0.0.1', 7));
    stack.returnValue = 3;
    expect(await socket.send(new Uint8Array(3))).to.equal(3);
    expect(stack.calls.at(-1)).to.equal('sendto');
    expect(stack.calls.filter((c) => c === 'sendto')).to.have.length(1);
  });

  it('sendto and recvfrom on an unopened socket are NO_SOCKET', async () => {
    expect(await socket.sendto(new SocketAddress('127.0.0.1', 7), new Uint8Array(1))).to.equal(
      NSAPI_ERROR_NO_SOCKET,
    );
    expect(await socket.recvfrom(null, new Uint8Array(1))).to.equal(NSAPI_ERROR_NO_SOCKET);
  });

  it('a connected socket silently drops datagrams from other addresses', async () => {
    socket.open(stack);
    await socket.connect(new SocketAddress('127.0.0.1', 7));
    stack.returnSocketAddress = new SocketAddress('127.0.0.2', 7);
    stack.returnValues.push(4, NSAPI_ERROR_WOULD_BLOCK);
    socket.set_timeout(10);
    expect(await socket.recv(new Uint8Array(4))).to.equal(NSAPI_ERROR_WOULD_BLOCK);
    stack.returnSocketAddress = new SocketAddress('127.0.0.1', 7);
    stack.returnValues.push(4);
    const from = new SocketAddress();
    expect(await socket.recvfrom(from, new Uint8Array(4))).to.equal(4);
    expect(from.get_port()).to.equal(7);
  });

  it('recvfrom blocks until sigio, then delivers', async () => {
    socket.open(stack);
    stack.returnValues.push(NSAPI_ERROR_WOULD_BLOCK, 2);
    stack.returnSocketAddress = new SocketAddress('127.0.0.1', 9);
    setTimeout(() => stack.callback?.(), 5);
    expect(await socket.recvfrom(null, new Uint8Array(2))).to.equal(2);
  });

  it('control buffers are UNSUPPORTED; listen/accept UNSUPPORTED', async () => {
    socket.open(stack);
    expect(
      await socket.sendto_control(new SocketAddress('127.0.0.1', 1), new Uint8Array(1), new Uint8Array(1)),
    ).to.equal(NSAPI_ERROR_UNSUPPORTED);
    expect(await socket.listen()).to.equal(NSAPI_ERROR_UNSUPPORTED);
    expect((await socket.accept()).error).to.equal(NSAPI_ERROR_UNSUPPORTED);
  });
});
