// connect() time per placement and link profile (docs/reliability.md, "Link profiles"): a TLS
// connect to tls-echo through the in-process device with the modem's connections shaped as the
// profile says. Unpaced UART, so the figures are the link's share plus the MCU's own work.
import type { Lab } from '../lab/servers/lab.ts';
import { setConfig } from '../mcu/mbed-config.ts';
import { MbedtlsTLSSocket } from '../mcu/tls/tls-socket-mbedtls.ts';
import { OffloadTLSSocket } from '../mcu/tls/tls-socket-offload.ts';
import { LINK_PROFILES, type LinkProfileName } from '../modem/link/link-profile.ts';
import { NSAPI_ERROR_OK } from '../shared/nsapi.ts';
import { SocketAddress } from '../shared/socket-address.ts';
import { median, startRig } from './device-rig.ts';
import { markdownTable } from './markdown-table.ts';

const PROFILES: LinkProfileName[] = ['ideal', 'lte-m', 'nb-iot'];
const REPEATS = 3;

async function connectMs(lab: Lab, mode: 'mbedtls' | 'offload', profile: LinkProfileName, seed: number) {
  setConfig('nsapi.offload-tlssocket', mode === 'offload');
  const rig = await startRig({ kind: 'mock' }, lab.hosts, { link: LINK_PROFILES[profile], linkSeed: seed });
  try {
    const server = lab.server('tls-echo');
    const sock = mode === 'offload' ? new OffloadTLSSocket() : new MbedtlsTLSSocket();
    sock.open(rig.net);
    await sock.set_root_ca_cert(lab.pki.caPem);
    await sock.set_hostname(server.host);
    const started = performance.now();
    const ret = await sock.connect(new SocketAddress(server.address, server.port));
    const ms = performance.now() - started;
    if (ret !== NSAPI_ERROR_OK) throw new Error(`${mode} ${profile}: connect returned ${ret}`);
    await sock.close();
    await sock.destroy();
    return ms;
  } finally {
    await rig.close();
  }
}

export async function benchLinkConnect(lab: Lab): Promise<string> {
  const rows: string[][] = [];
  for (const profile of PROFILES) {
    const row: string[] = [profile];
    for (const mode of ['mbedtls', 'offload'] as const) {
      const times: number[] = [];
      for (let i = 0; i < REPEATS; i++) times.push(await connectMs(lab, mode, profile, i + 1));
      row.push(median(times).toFixed(0));
    }
    rows.push(row);
  }
  return markdownTable(
    ['link profile', `mbedtls connect ms (median of ${REPEATS})`, 'offload connect ms'],
    rows,
  );
}
