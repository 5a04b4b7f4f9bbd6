import { badCertificateScenario } from './_handshake-invalid.ts';

export default badCertificateScenario('badssl-self-signed', 'self-signed');
