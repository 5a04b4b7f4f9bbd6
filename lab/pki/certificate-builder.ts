// X.509 v3 certificates for the lab: forge lays out the certificate (names, validity, extensions, DER), Node's
// crypto supplies the subject key and makes the signature. That split lets a certificate carry any key Node
// can make (forge only knows RSA, so it could not build the ECDSA server certificate) and keeps signing fast.
import { createHash, createPublicKey, type KeyObject, randomBytes, sign, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

const { asn1 } = forge;

/** What a certificate is for; it decides basicConstraints, keyUsage and extKeyUsage. */
export type CertificateRole = 'ca' | 'server' | 'client';

export type SignatureDigest = 'sha256' | 'sha1';

export interface DistinguishedName {
  commonName: string;
  organizationName?: string;
}

/** Whoever signs: its name becomes the issuer name, its key identifier the authority key identifier. */
export interface Issuer {
  name: DistinguishedName;
  privateKey: KeyObject;
  keyIdentifier: Buffer;
}

export interface CertificateSpec {
  subject: DistinguishedName;
  publicKey: KeyObject;
  issuer: Issuer;
  notBefore: Date;
  notAfter: Date;
  role: CertificateRole;
  /** CA only: how many CAs may follow below this one. */
  pathLength?: number;
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
  digest?: SignatureDigest;
}

export interface IssuedCertificate {
  pem: string;
  name: DistinguishedName;
  keyIdentifier: Buffer;
}

const SIGNATURE_OIDS: Record<SignatureDigest, string> = {
  sha256: forge.pki.oids.sha256WithRSAEncryption,
  sha1: forge.pki.oids.sha1WithRSAEncryption,
};
const SUBJECT_KEY_IDENTIFIER_OID = '2.5.29.14';
const AUTHORITY_KEY_IDENTIFIER_OID = '2.5.29.35';

// Where @types/node-forge falls short of forge itself: getTBSCertificate is public but undeclared,
// valueTagClass takes a tag type (declared as a class), and fromDer takes an options object.
const forgePki = forge.pki as typeof forge.pki & {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
};
const UTF8_STRING = asn1.Type.UTF8 as unknown as forge.asn1.Class;
const fromDerKeepingBitStrings = (der: string) =>
  (asn1.fromDer as unknown as (der: string, options: { decodeBitStrings: boolean }) => forge.asn1.Asn1)(der, {
    decodeBitStrings: false,
  });

/**
 * RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING (without its unused-bits byte).
 * Takes either half of a key pair.
 */
export function keyIdentifierOf(key: KeyObject): Buffer {
  return createHash('sha1').update(subjectPublicKeyBits(key)).digest();
}

/** The issuer of a self-signed certificate: the subject itself. */
export function selfIssuer(name: DistinguishedName, privateKey: KeyObject): Issuer {
  return { name, privateKey, keyIdentifier: keyIdentifierOf(privateKey) };
}

export function issuerOf(certificate: IssuedCertificate, privateKey: KeyObject): Issuer {
  return { name: certificate.name, privateKey, keyIdentifier: certificate.keyIdentifier };
}

export function issueCertificate(spec: CertificateSpec): IssuedCertificate {
  if (spec.issuer.privateKey.asymmetricKeyType !== 'rsa') {
    throw new Error('issueCertificate: the lab CAs sign with RSA keys only');
  }
  const cert = forge.pki.createCertificate();
  cert.serialNumber = randomSerialNumber();
  cert.validity.notBefore = spec.notBefore;
  cert.validity.notAfter = spec.notAfter;
  cert.setSubject(toForgeAttributes(spec.subject));
  cert.setIssuer(toForgeAttributes(spec.issuer.name));
  cert.setExtensions(usageExtensions(spec));
  const keyIdentifier = keyIdentifierOf(spec.publicKey);
  cert.extensions.push(
    rawExtension(SUBJECT_KEY_IDENTIFIER_OID, octetString(keyIdentifier)),
    rawExtension(
      AUTHORITY_KEY_IDENTIFIER_OID,
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
        asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, spec.issuer.keyIdentifier.toString('binary')),
      ]),
    ),
  );
  const signatureOid = SIGNATURE_OIDS[spec.digest ?? 'sha256'];
  cert.siginfo.algorithmOid = signatureOid;
  // forge encodes only RSA public keys, so it lays the TBSCertificate out around a stand-in key whose
  // SubjectPublicKeyInfo (field 6) is then replaced by the real one, exported by Node.
  cert.publicKey = forge.pki.setRsaPublicKey(new forge.jsbn.BigInteger('1'), new forge.jsbn.BigInteger('1'));
  const tbs = forgePki.getTBSCertificate(cert);
  (tbs.value as forge.asn1.Asn1[])[6] = fromDerKeepingBitStrings(spkiDer(spec.publicKey).toString('binary'));
  const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');
  const signature = sign(spec.digest ?? 'sha256', tbsDer, spec.issuer.privateKey);
  cert.tbsCertificate = tbs;
  cert.signatureOid = signatureOid;
  cert.signature = signature.toString('binary');
  const der = Buffer.from(asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  // Node re-parses what forge wrote (a malformed certificate fails here, not in a TLS handshake later)
  // and writes PEM with plain \n line ends.
  return { pem: new X509Certificate(der).toString(), name: spec.subject, keyIdentifier };
}

function usageExtensions(spec: CertificateSpec): object[] {
  if (spec.role === 'ca') {
    // forge encodes pathLenConstraint whenever the property exists, even when undefined.
    const basicConstraints =
      spec.pathLength === undefined
        ? { name: 'basicConstraints', cA: true, critical: true }
        : { name: 'basicConstraints', cA: true, pathLenConstraint: spec.pathLength, critical: true };
    return [basicConstraints, { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }];
  }
  // RSA key exchange encrypts the premaster secret to the server key, so RSA server keys also need
  // keyEncipherment (Mbed TLS checks keyUsage against the negotiated suite).
  const rsa = spec.publicKey.asymmetricKeyType === 'rsa';
  const extensions: object[] = [
    { name: 'basicConstraints', cA: false, critical: true },
    {
      name: 'keyUsage',
      digitalSignature: true,
      keyEncipherment: rsa && spec.role === 'server',
      critical: true,
    },
    spec.role === 'server'
      ? { name: 'extKeyUsage', serverAuth: true }
      : { name: 'extKeyUsage', clientAuth: true },
  ];
  const altNames = [
    ...(spec.dnsNames ?? []).map((value) => ({ type: 2, value })),
    ...(spec.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
  ];
  if (altNames.length > 0) extensions.push({ name: 'subjectAltName', altNames });
  return extensions;
}

// UTF8String, not forge's default PrintableString, which cannot hold the '*' of a wildcard name.
function toForgeAttributes(name: DistinguishedName): forge.pki.CertificateField[] {
  const attributes: forge.pki.CertificateField[] = [];
  if (name.organizationName) {
    attributes.push({ name: 'organizationName', value: name.organizationName, valueTagClass: UTF8_STRING });
  }
  attributes.push({ name: 'commonName', value: name.commonName, valueTagClass: UTF8_STRING });
  return attributes;
}

// Added after setExtensions because forge would recompute a key identifier from its stand-in key.
function rawExtension(id: string, value: forge.asn1.Asn1): forge.pki.CertificateField {
  return { id, critical: false, value } as unknown as forge.pki.CertificateField;
}

function octetString(bytes: Buffer): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes.toString('binary'));
}

function spkiDer(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ type: 'spki', format: 'der' });
}

function subjectPublicKeyBits(publicKey: KeyObject): Buffer {
  const spki = fromDerKeepingBitStrings(spkiDer(publicKey).toString('binary'));
  const bitString = (spki.value as forge.asn1.Asn1[])[1].value as string;
  return Buffer.from(bitString.slice(1), 'binary');
}

// 16 random bytes, high bit clear so the DER INTEGER stays positive, never zero.
function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString('hex');
}
