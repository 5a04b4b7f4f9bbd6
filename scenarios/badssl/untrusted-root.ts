import { badCertificateScenario } from './_handshake-invalid.ts';

export default badCertificateScenario('badssl-untrusted-root', 'signed by an untrusted root');
