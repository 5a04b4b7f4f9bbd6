import { badCertificateScenario } from './_handshake-invalid.ts';

export default badCertificateScenario('badssl-expired', 'expired');
