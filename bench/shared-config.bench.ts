// What sharing one SslConfig saves: N sockets connected at once to tls-echo, each with its own config
// (set_root_ca_cert parses the CA into the socket's config), against one config and CA chain the
// application made and passed to every socket with set_ssl_config (Mbed OS TLSSocketWrapper's
// set_ssl_config; Mbed TLS allows one mbedtls_ssl_config for many contexts). The shared objects are
// counted under their own heap owner (mcu/tls/mbedtls/heap.ts), so the total is complete.
import type { Lab } from '../lab/servers/lab.ts';
import { setConfig } from '../mcu/mbed-config.ts';
import {
  cString,
  MBEDTLS_SSL_IS_CLIENT,
  MBEDTLS_SSL_PRESET_DEFAULT,
  MBEDTLS_SSL_TRANSPORT_STREAM,
  MBEDTLS_SSL_VERIFY_REQUIRED,
  mbedtlsHeapStats,
  newHeapOwner,
  SslConfig,
  X509Crt,
} from '../mcu/tls/mbedtls/index.ts';
import { MbedtlsTLSSocket } from '../mcu/tls/tls-socket-mbedtls.ts';
import { NSAPI_ERROR_OK } from '../shared/nsapi.ts';
import { SocketAddress } from '../shared/socket-address.ts';
import { type Rig, startRig } from './device-rig.ts';
import { type CostTable, markdownTable } from './markdown-table.ts';

const COUNTS = [1, 2, 4, 8] as const;

function check(what: string, ret: number): void {
  if (ret !== NSAPI_ERROR_OK) throw new Error(`${what} returned ${ret}`);
}

/** The shared config as an application builds it: the CA chain first, then the config pointing at it. */
function sharedConfig(lab: Lab, owner: number): { config: SslConfig; ca: X509Crt } {
  const ca = new X509Crt();
  ca.heapOwner = owner;
  check('mbedtls_x509_crt_parse', ca.parse(cString(lab.pki.caPem)));
  const config = new SslConfig();
  config.heapOwner = owner;
  check(
    'mbedtls_ssl_config_defaults',
    config.defaults(MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT),
  );
  config.setAuthmode(MBEDTLS_SSL_VERIFY_REQUIRED);
  config.setCaChain(ca);
  return { config, ca };
}

/** Mbed TLS heap held while N sockets are connected: the sockets' own, plus the shared objects'. */
async function held(rig: Rig, lab: Lab, n: number, shared: boolean): Promise<{ total: number; own: number }> {
  const owner = newHeapOwner();
  const common = shared ? sharedConfig(lab, owner) : null;
  const server = lab.server('tls-echo');
  const sockets: MbedtlsTLSSocket[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const sock = new MbedtlsTLSSocket();
      sockets.push(sock);
      check('open', sock.open(rig.net));
      if (common) sock.set_ssl_config(common.config);
      else check('set_root_ca_cert', sock.set_root_ca_cert(lab.pki.caPem));
      sock.set_hostname(server.host);
      check('connect', await sock.connect(new SocketAddress(server.address, server.port)));
    }
    const own = mbedtlsHeapStats(owner).currentBytes;
    const total = own + sockets.reduce((sum, s) => sum + s.get_heap_stats().currentBytes, 0);
    return { total, own };
  } finally {
    for (const sock of sockets) {
      await sock.close();
      await sock.destroy();
    }
    common?.config.free();
    common?.ca.free();
  }
}

export async function benchSharedConfig(lab: Lab): Promise<CostTable> {
  setConfig('nsapi.offload-tlssocket', false);
  const rig = await startRig({ kind: 'mock' }, lab.hosts);
  const rows: string[][] = [];
  let perSocket = 0;
  let sharedBytes = 0;
  try {
    for (const n of COUNTS) {
      const each = await held(rig, lab, n, false);
      const one = await held(rig, lab, n, true);
      const saving = each.total - one.total;
      if (n === COUNTS[COUNTS.length - 1]) {
        perSocket = Math.round(saving / (n - 1));
        sharedBytes = one.own;
      }
      rows.push([
        `${n}`,
        `${each.total}`,
        `${one.total} (${one.own} shared)`,
        `${saving}`,
        n > 1 ? `${Math.round(saving / (n - 1))}` : '—',
      ]);
    }
  } finally {
    await rig.close();
  }
  const table = markdownTable(
    [
      'sockets connected to tls-echo',
      'a config each: total B',
      'one shared SslConfig + CA: total B',
      'saving B',
      'saving per extra socket B',
    ],
    rows,
  );
  return {
    table,
    notes: [
      `sharing one SslConfig saves about ${perSocket} B per socket after the first: the ${sharedBytes} B ` +
        `the shared config and CA hold, plus ${perSocket - sharedBytes} B a CA of its own caches during ` +
        `each socket's handshake (e.g. RSA's R² mod N, mbedtls_rsa_public), counted to that socket`,
    ],
  };
}
