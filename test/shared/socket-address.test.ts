import { expect } from 'chai';
import { NSAPI_IPv4, NSAPI_IPv6, NSAPI_UNSPEC } from '../../shared/nsapi.ts';
import { SocketAddress } from '../../shared/socket-address.ts';

describe('SocketAddress (mbed-os SocketAddress.cpp)', () => {
  it('starts UNSPEC, zero, port 0, and is false', () => {
    const a = new SocketAddress();
    expect(a.get_ip_version()).to.equal(NSAPI_UNSPEC);
    expect(a.get_ip_address()).to.equal(null);
    expect(a.get_port()).to.equal(0);
    expect(a.isValid()).to.equal(false);
  });

  it('accepts literal IPv4 and IPv6 and prints IPv6 compressed', () => {
    const a = new SocketAddress('127.0.0.1', 7);
    expect(a.get_ip_version()).to.equal(NSAPI_IPv4);
    expect(a.get_ip_address()).to.equal('127.0.0.1');
    expect(a.get_port()).to.equal(7);
    const b = new SocketAddress('2001:0db8:0000:0000:0000:0000:0000:0001', 443);
    expect(b.get_ip_version()).to.equal(NSAPI_IPv6);
    expect(b.get_ip_address()).to.equal('2001:db8::1');
    expect(new SocketAddress('::ffff:10.1.2.3').get_ip_bytes().subarray(12)).to.deep.equal(
      Uint8Array.from([10, 1, 2, 3]),
    );
    expect(new SocketAddress('1:0:0:1:0:0:0:1').get_ip_address()).to.equal('1:0:0:1::1');
  });

  it('rejects hostnames and junk, resetting the address but keeping the port', () => {
    const a = new SocketAddress('10.0.0.1', 99);
    expect(a.set_ip_address('echo.tlssim.test')).to.equal(false);
    expect(a.get_ip_version()).to.equal(NSAPI_UNSPEC);
    expect(a.get_ip_address()).to.equal(null);
    expect(a.get_port()).to.equal(99);
    expect(a.set_ip_address(null)).to.equal(false);
    expect(a.set_ip_address('1.2.3.256')).to.equal(false);
    expect(a.set_ip_address('1.2.3.4\0')).to.equal(false);
  });

  it('is false for all-zero addresses of either version', () => {
    expect(new SocketAddress('0.0.0.0').isValid()).to.equal(false);
    expect(new SocketAddress('::').isValid()).to.equal(false);
    expect(new SocketAddress('0.0.0.1').isValid()).to.equal(true);
  });

  it('compares: invalid addresses are equal; otherwise version, port and bytes must match', () => {
    expect(new SocketAddress('0.0.0.0', 1).equals(new SocketAddress('::', 2))).to.equal(true);
    expect(new SocketAddress('1.2.3.4', 5).equals(new SocketAddress('1.2.3.4', 5))).to.equal(true);
    expect(new SocketAddress('1.2.3.4', 5).equals(new SocketAddress('1.2.3.4', 6))).to.equal(false);
    expect(new SocketAddress('1.2.3.4', 5).equals(new SocketAddress('1.2.3.5', 5))).to.equal(false);
  });

  it('sets bytes by version and copies', () => {
    const a = new SocketAddress(Uint8Array.from([192, 168, 0, 1]), NSAPI_IPv4, 80);
    expect(a.get_ip_address()).to.equal('192.168.0.1');
    const b = new SocketAddress(a);
    expect(b.equals(a)).to.equal(true);
    b.set_port(81);
    expect(b.equals(a)).to.equal(false);
    const c = new SocketAddress(Uint8Array.from([1, 2, 3, 4]), NSAPI_UNSPEC);
    expect(c.get_ip_bytes().every((x) => x === 0)).to.equal(true);
  });
});
