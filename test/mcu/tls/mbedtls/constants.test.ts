// The TypeScript constants are the values the native binding was compiled with, one for one; and the
// free functions answer from the real library.
import { expect } from 'chai';
import * as constants from '../../../../mcu/tls/mbedtls/constants.ts';
import {
  ciphersuiteId,
  ciphersuiteName,
  listCiphersuites,
  loadMbedtlsAddon,
  MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY,
  MBEDTLS_ERR_SSL_WANT_READ,
  mbedtlsStrerror,
  mbedtlsVersion,
  x509VerifyInfo,
} from '../../../../mcu/tls/mbedtls/index.ts';

describe('Mbed TLS binding: constants and functions', () => {
  it('matches every constant of the compiled library, and only those', () => {
    const native = loadMbedtlsAddon().constants;
    expect(Object.keys(native).length).to.be.greaterThan(100);
    expect({ ...constants }).to.deep.equal(native);
  });

  it('has the codes TLSSocketWrapper maps', () => {
    expect(constants.MBEDTLS_ERR_SSL_WANT_READ).to.equal(-0x6900);
    expect(constants.MBEDTLS_ERR_SSL_WANT_WRITE).to.equal(-0x6880);
    expect(constants.MBEDTLS_ERR_SSL_TIMEOUT).to.equal(-0x6800);
    expect(constants.MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY).to.equal(-0x7880);
    expect(constants.MBEDTLS_ERR_SSL_CONN_EOF).to.equal(-0x7280);
    expect(constants.MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE).to.equal(-0x7780);
    expect(constants.MBEDTLS_ERR_SSL_BAD_INPUT_DATA).to.equal(-0x7100);
    expect(constants.MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED).to.equal(-0x6a80);
    expect(constants.MBEDTLS_ERR_X509_CERT_VERIFY_FAILED).to.equal(-0x2700);
    expect(constants.MBEDTLS_SSL_VERIFY_REQUIRED).to.equal(2);
  });

  it('reports the library version, error strings, ciphersuites and verify flags', () => {
    expect(mbedtlsVersion()).to.match(/^mbed TLS 2\.28\.\d+$/);
    expect(mbedtlsStrerror(MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)).to.equal(
      'SSL - The peer notified us that the connection is going to be closed',
    );
    expect(mbedtlsStrerror(MBEDTLS_ERR_SSL_WANT_READ)).to.include('No data of requested type');
    const id = ciphersuiteId('TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256');
    expect(id).to.equal(0xc02b);
    expect(ciphersuiteName(id)).to.equal('TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256');
    expect(ciphersuiteId('NO-SUCH-SUITE')).to.equal(0);
    expect(listCiphersuites()).to.include(0xc02f);
    expect(x509VerifyInfo(constants.MBEDTLS_X509_BADCERT_EXPIRED)).to.include('expired');
    expect(x509VerifyInfo(0)).to.equal('');
  });
});
