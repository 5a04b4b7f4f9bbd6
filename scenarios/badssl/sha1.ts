import { badCertificateScenario } from './_handshake-invalid.ts';

export default badCertificateScenario('badssl-sha1', 'signed with SHA-1');
