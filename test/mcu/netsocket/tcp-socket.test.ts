import { expect } from 'chai';
import { TCPSocket } from '../../../mcu/netsocket/tcp-socket.ts';
import {
  NSAPI_BIND_TO_DEVICE,
  NSAPI_ERROR_ALREADY,
  NSAPI_ERROR_IN_PROGRESS,
  NSAPI_ERROR_IS_CONNECTED,
  NSAPI_ERROR_NO_CONNECTION,
  NSAPI_ERROR_NO_MEMORY,
  NSAPI_ERROR_NO_SOCKET,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_PARAMETER,
  NSAPI_ERROR_UNSUPPORTED,
  NSAPI_ERROR_WOULD_BLOCK,
  NSAPI_SOCKET,
} from '../../../shared/nsapi.ts';
import { SocketAddress } from '../../../shared/socket-address.ts';
import { NetworkStackStub } from './network-stack-stub.ts';

const peer = () => new SocketAddress('127.0.0.1', 1024);

describe('TCPSocket (mbed-os InternetSocket.cpp, TCPSocket.cpp; UNITTESTS/netsocket/TCPSocket)', () => {
  let stack: NetworkStackStub;
  let socket: TCPSocket;
  beforeEach(() => {
    stack = new NetworkStackStub();
    socket = new TCPSocket();
  });

  it('open(NULL) and open twice are PARAMETER; close when not open is NO_SOCKET', async () => {
    expect(socket.open(null)).to.equal(NSAPI_ERROR_PARAMETER);
    expect(socket.open(stack)).to.equal(NSAPI_ERROR_OK);
    expect(socket.open(stack)).to.equal(NSAPI_ERROR_PARAMETER);
    expect(await socket.close()).to.equal(NSAPI_ERROR_OK);
    expect(await socket.close()).to.equal(NSAPI_ERROR_NO_SOCKET);
  });

  it('open returns the stack error unchanged', () => {
    stack.returnValue = NSAPI_ERROR_NO_SOCKET;
    expect(socket.open(stack)).to.equal(NSAPI_ERROR_NO_SOCKET);
  });

  it('send/recv/connect/bind/setsockopt when not open are NO_SOCKET; listen/accept UNSUPPORTED', async () => {
    const buf = new Uint8Array(4);
    expect(await socket.send(buf)).to.equal(NSAPI_ERROR_NO_SOCKET);
    expect(await socket.recv(buf)).to.equal(NSAPI_ERROR_NO_SOCKET);
    expect(await socket.connect(peer())).to.equal(NSAPI_ERROR_NO_SOCKET);
    expect(await socket.bind(1)).to.equal(NSAPI_ERROR_NO_SOCKET);
    expect(await socket.setsockopt(NSAPI_SOCKET, NSAPI_BIND_TO_DEVICE, null)).to.equal(NSAPI_ERROR_NO_SOCKET);
    expect(await socket.listen()).to.equal(NSAPI_ERROR_UNSUPPORTED);
    expect((await socket.accept()).error).to.equal(NSAPI_ERROR_UNSUPPORTED);
    expect(socket.getpeername(new SocketAddress())).to.equal(NSAPI_ERROR_NO_SOCKET);
  });

  it('setsockopt of a generic option is the stack default UNSUPPORTED', async () => {
    socket.open(stack);
    expect(await socket.setsockopt(NSAPI_SOCKET, NSAPI_BIND_TO_DEVICE, new Uint8Array(1))).to.equal(
      NSAPI_ERROR_UNSUPPORTED,
    );
  });

  it('connect: OK stores the peer; direct IS_CONNECTED stays IS_CONNECTED', async () => {
    socket.open(stack);
    expect(await socket.connect(peer())).to.equal(NSAPI_ERROR_OK);
    const got = new SocketAddress();
    expect(socket.getpeername(got)).to.equal(NSAPI_ERROR_OK);
    expect(got.equals(peer())).to.equal(true);
    stack.returnValue = NSAPI_ERROR_IS_CONNECTED;
    expect(await socket.connect(peer())).to.equal(NSAPI_ERROR_IS_CONNECTED);
  });

  it('connect: ALREADY, then IS_CONNECTED after waiting, becomes OK', async () => {
    socket.open(stack);
    stack.signalAfterEachCall = true;
    stack.returnValues.push(NSAPI_ERROR_ALREADY, NSAPI_ERROR_IS_CONNECTED);
    expect(await socket.connect(peer())).to.equal(NSAPI_ERROR_OK);
  });

  it('connect: IN_PROGRESS with a timeout that expires returns IN_PROGRESS; non-blocking returns at once', async () => {
    socket.open(stack);
    stack.returnValue = NSAPI_ERROR_IN_PROGRESS;
    socket.set_timeout(10);
    expect(await socket.connect(peer())).to.equal(NSAPI_ERROR_IN_PROGRESS);
    stack.calls.length = 0;
    socket.set_blocking(false);
    expect(await socket.connect(peer())).to.equal(NSAPI_ERROR_IN_PROGRESS);
    expect(stack.calls).to.deep.equal(['connect']);
  });

  it('send in two chunks (4 + 6) returns 10; 0-byte send returns 0', async () => {
    socket.open(stack);
    stack.returnValues.push(4, 6);
    expect(await socket.send(new Uint8Array(10))).to.equal(10);
    stack.returnValues.push(0);
    expect(await socket.send(new Uint8Array(0))).to.equal(0);
  });

  it('send: WOULD_BLOCK with a short timeout returns WOULD_BLOCK; partial then block returns the partial count', async () => {
    socket.open(stack);
    socket.set_timeout(10);
    stack.returnValue = NSAPI_ERROR_WOULD_BLOCK;
    expect(await socket.send(new Uint8Array(10))).to.equal(NSAPI_ERROR_WOULD_BLOCK);
    stack.returnValues.push(3);
    expect(await socket.send(new Uint8Array(10))).to.equal(3);
  });

  it('send and recv propagate other stack errors', async () => {
    socket.open(stack);
    stack.returnValue = NSAPI_ERROR_NO_MEMORY;
    expect(await socket.send(new Uint8Array(3))).to.equal(NSAPI_ERROR_NO_MEMORY);
    stack.returnValue = NSAPI_ERROR_NO_CONNECTION;
    expect(await socket.recv(new Uint8Array(3))).to.equal(NSAPI_ERROR_NO_CONNECTION);
  });

  it('recv: blocking waits for sigio and retries; 0 (peer closed) is returned unchanged', async () => {
    socket.open(stack);
    stack.returnValues.push(NSAPI_ERROR_WOULD_BLOCK, 5);
    stack.incoming.push(new Uint8Array(0), Buffer.from('hello'));
    setTimeout(() => stack.callback?.(), 5);
    const buf = new Uint8Array(10);
    expect(await socket.recv(buf)).to.equal(5);
    expect(Buffer.from(buf.subarray(0, 5)).toString()).to.equal('hello');
    stack.returnValues.push(0);
    expect(await socket.recv(buf)).to.equal(0);
  });

  it('recv: timeout returns WOULD_BLOCK; non-blocking makes one attempt', async () => {
    socket.open(stack);
    stack.returnValue = NSAPI_ERROR_WOULD_BLOCK;
    socket.set_timeout(5);
    expect(await socket.recv(new Uint8Array(1))).to.equal(NSAPI_ERROR_WOULD_BLOCK);
    socket.set_blocking(false);
    stack.calls.length = 0;
    expect(await socket.recv(new Uint8Array(1))).to.equal(NSAPI_ERROR_WOULD_BLOCK);
    expect(stack.calls).to.deep.equal(['recv']);
  });

  it('recvfrom fills the connected peer', async () => {
    socket.open(stack);
    await socket.connect(peer());
    stack.returnValue = 3;
    const from = new SocketAddress();
    expect(await socket.recvfrom(from, new Uint8Array(3))).to.equal(3);
    expect(from.equals(peer())).to.equal(true);
  });

  it('sigio fires once per operation window and on close', async () => {
    socket.open(stack);
    let calls = 0;
    socket.sigio(() => calls++);
    stack.callback?.();
    stack.callback?.();
    expect(calls).to.equal(1);
    await socket.recv(new Uint8Array(1)); // an operation re-arms the gate
    stack.callback?.();
    expect(calls).to.equal(2);
    await socket.recv(new Uint8Array(1));
    await socket.close(); // close fires the event, and so the callback (unit test "sigio")
    expect(calls).to.equal(3);
  });

  it('close wakes a blocked recv, which then returns NO_SOCKET', async () => {
    socket.open(stack);
    stack.returnValue = NSAPI_ERROR_WOULD_BLOCK;
    const pending = socket.recv(new Uint8Array(1));
    await new Promise((r) => setTimeout(r, 5));
    stack.returnValue = NSAPI_ERROR_OK;
    await socket.close();
    expect(await pending).to.equal(NSAPI_ERROR_NO_SOCKET);
  });
});
