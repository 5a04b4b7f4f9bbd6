// A human-readable table of a running lab, for `tlssim lab` and test logs.
import { LAB_ADDRESS } from '../pki/lab-hostnames.ts';
import type { Lab } from './lab.ts';
import { SERVER_KIND_SPECS, SERVER_KINDS } from './server-kinds.ts';

export function describeLab(lab: Lab): string {
  const rows = SERVER_KINDS.flatMap((kind) => {
    const server = lab.servers[kind];
    if (!server) return [];
    const spec = SERVER_KIND_SPECS[kind];
    const notes: string[] = [spec.service];
    if (spec.credential) notes.push(`certificate ${lab.pki.servers[spec.credential].spec.flaw}`);
    if (spec.requireClientCert) notes.push('client certificate required');
    return [[kind, `${server.host}:${server.port}`, spec.transport, notes.join(', ')]];
  });
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column].length)));
  const lines = rows.map((row) =>
    row
      .map((cell, column) => (column < 3 ? cell.padEnd(widths[column]) : cell))
      .join('  ')
      .trimEnd(),
  );
  return [
    ...lines,
    `all names resolve to ${LAB_ADDRESS} through the lab hosts table`,
    `CA: ${lab.caPath}`,
    `client certificate: ${lab.pki.clientCertPath}`,
    `client key: ${lab.pki.clientKeyPath}`,
  ].join('\n');
}
