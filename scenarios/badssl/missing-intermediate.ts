import { badCertificateScenario } from './_handshake-invalid.ts';

export default badCertificateScenario('badssl-missing-intermediate', 'sent without its intermediate');
