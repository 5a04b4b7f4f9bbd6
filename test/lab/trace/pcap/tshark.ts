// tshark for the capture tests: whether it is installed (the tests skip only when it is not; CI
// installs it), and its fields as rows.
import { execFileSync, spawnSync } from 'node:child_process';

export const TSHARK_AVAILABLE =
  spawnSync('sh', ['-c', 'command -v tshark'], { stdio: 'ignore' }).status === 0;

/** `tshark -r FILE [-o …] -Y FILTER -T fields -e …`: one row per packet, the fields split on tabs. */
export function tsharkFields(
  file: string,
  filter: string,
  fields: readonly string[],
  prefs: Record<string, string> = {},
): string[][] {
  const args = ['-r', file, '-n'];
  for (const [key, value] of Object.entries(prefs)) args.push('-o', `${key}:${value}`);
  args.push('-Y', filter, '-T', 'fields', '-E', 'separator=\t');
  for (const field of fields) args.push('-e', field);
  const out = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return out
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t'));
}

/** The application data Wireshark decrypted with the key log, in capture order, as one string. */
export function decryptedText(pcap: string, keyLog: string, protocol: 'tls' | 'dtls'): string {
  const rows = tsharkFields(pcap, `${protocol} && data`, ['data.data'], { 'tls.keylog_file': keyLog });
  // A packet with several records lists its data fields comma-separated.
  return rows
    .flatMap((row) => row[0].split(','))
    .map((hex) => Buffer.from(hex.replace(/:/g, ''), 'hex').toString('utf8'))
    .join('');
}
