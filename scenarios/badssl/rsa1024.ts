import { badCertificateScenario } from './_handshake-invalid.ts';

export default badCertificateScenario('badssl-rsa1024', 'an RSA-1024 key');
