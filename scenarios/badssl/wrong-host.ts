import { badCertificateScenario } from './_handshake-invalid.ts';

export default badCertificateScenario('badssl-wrong-host', 'issued for another host');
