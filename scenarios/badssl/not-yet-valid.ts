import { badCertificateScenario } from './_handshake-invalid.ts';

export default badCertificateScenario('badssl-not-yet-valid', 'not yet valid');
