// Seeded AT lines for fuzzing the simulated BG96: real commands of every family with their forms
// (test `=?`, read `?`, write `=…`, execute), then mutated the way a broken driver or a noisy UART would:
// wrong parameter counts and types, huge and negative numbers, unbalanced quotes, control and high
// bytes, truncation, doubled prefixes. The same seed gives the same lines (shared/seeded-random.ts).
import type { SeededRandom } from '../../shared/seeded-random.ts';

const COMMANDS = [
  '',
  'E0',
  'E1',
  'I',
  '+CMEE',
  '+CFUN',
  '+CPIN',
  '+CSQ',
  '+CGATT',
  '+CEREG',
  '+CGMI',
  '+CGMM',
  '+CGMR',
  '+CGSN',
  '+QICSGP',
  '+QIACT',
  '+QIDEACT',
  '+QIOPEN',
  '+QICLOSE',
  '+QISTATE',
  '+QISEND',
  '+QISENDEX',
  '+QIRD',
  '+QIGETERROR',
  '+QIDNSCFG',
  '+QIDNSGIP',
  '+QFUPL',
  '+QFDEL',
  '+QFLST',
  '+QFLDS',
  '+QSSLCFG',
  '+QSSLOPEN',
  '+QSSLSEND',
  '+QSSLRECV',
  '+QSSLCLOSE',
  '+QSSLSTATE',
] as const;

const VALUES = [
  '0',
  '1',
  '11',
  '12',
  '-1',
  '65535',
  '65536',
  '4294967296',
  '99999999999999999999',
  '1e3',
  '0x10',
  '',
  '"TCP"',
  '"UDP"',
  '"UDP SERVICE"',
  '"127.0.0.1"',
  '"echo.tlssim.test"',
  '"seclevel"',
  '"cacert"',
  '"sslversion"',
  '"ciphersuite"',
  '"0xFFFF"',
  '"cacert.pem"',
  '"',
  '""',
  '"a,b"',
  '"\u0000"',
  'ÿÿ',
];

/** One AT line (without the terminating CR). */
export function fuzzLine(random: SeededRandom): string {
  const command = COMMANDS[random.int(COMMANDS.length)];
  const form = random.int(4);
  let line = `AT${command}`;
  if (form === 1) line += '=?';
  else if (form === 2) line += '?';
  else if (form === 3) {
    const count = random.int(8);
    line += `=${Array.from({ length: count }, () => VALUES[random.int(VALUES.length)]).join(',')}`;
  }
  return mutate(line, random);
}

function mutate(line: string, random: SeededRandom): string {
  const chars = [...line];
  const mutations = random.int(4);
  for (let i = 0; i < mutations; i++) {
    const at = random.int(chars.length + 1);
    switch (random.int(6)) {
      case 0: // a random byte, control and high bytes included (never CR: that ends the line early)
        chars.splice(at, 0, String.fromCharCode(random.int(256) === 13 ? 32 : random.int(256)));
        break;
      case 1: // a byte lost
        chars.splice(at, 1);
        break;
      case 2: // truncated
        chars.length = at;
        break;
      case 3: // a separator or quote out of place
        chars.splice(at, 0, [',', '"', '=', '?', ';', ' '][random.int(6)]);
        break;
      case 4: // a doubled prefix
        chars.splice(0, 0, 'AT');
        break;
      default: // a very long run of one character
        chars.splice(at, 0, 'A'.repeat(random.int(3000)));
    }
  }
  return chars.join('');
}
