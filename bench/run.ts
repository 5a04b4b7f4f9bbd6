// `npm run bench`: every benchmark, printed as a table of figures with ratios to in-process baselines.
import { startLab } from '../lab/servers/lab.ts';
import { benchAtAndEcho, type Row } from './at-and-echo.bench.ts';
import { benchDtlsLoss } from './dtls-loss.bench.ts';
import { benchTlsModes } from './tls-modes.bench.ts';

function print(title: string, rows: Row[]): void {
  const w = Math.max(...rows.map((r) => r.figure.length));
  const v = Math.max(...rows.map((r) => r.value.length));
  console.log(`\n${title}`);
  for (const r of rows) console.log(`  ${r.figure.padEnd(w)}  ${r.value.padStart(v)}  ${r.ratio ?? ''}`);
}

const lab = await startLab({ kinds: ['tcp-echo', 'tls-echo', 'tls-mtls-echo'] });
try {
  print('UART and plain sockets', await benchAtAndEcho(lab));
  print('DTLS over the modem UDP socket through the seeded fault proxy', await benchDtlsLoss(lab));
  print(
    'TLS: mbedtls mode vs offload mode (in-process device, tcp:// UART through the wire)',
    await benchTlsModes(lab),
  );
} finally {
  await lab.close();
}
