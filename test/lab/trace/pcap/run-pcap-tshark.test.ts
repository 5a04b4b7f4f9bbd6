// Opens real runs' captures with tshark: a TLS run in each mode and a DTLS run (mbedtls mode; the BG96
// offloads no DTLS), each through real MCU and modem processes (tlssim run --pcap). Wireshark must
// decrypt, with the run's keys.log, exactly what the app sent and the echo it got back; every TCP
// segment must be in order with good checksums; the UART interface must carry every trace chunk at
// the trace's own time.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { runMany } from '../../../../lab/runner/run-many.ts';
import type { ScenarioResult } from '../../../../lab/runner/run-scenario.ts';
import { loadScenario } from '../../../../lab/runner/scenario-files.ts';
import { RUN_FILES } from '../../../../lab/trace/pcap/run-capture-files.ts';
import { writeRunPcap } from '../../../../lab/trace/pcap/run-pcap.ts';
import { readTrace } from '../../../../shared/trace/trace-reader.ts';
import { MESSAGES as DTLS_MESSAGES } from '../../../fixtures/capture/capture-dtls.ts';
import { MESSAGES as TLS_MESSAGES } from '../../../fixtures/capture/capture-tls.ts';
import { decryptedText, TSHARK_AVAILABLE, tsharkFields } from './tshark.ts';

const TLS_FIXTURE = resolve('test/fixtures/capture/capture-tls.ts');
const DTLS_FIXTURE = resolve('test/fixtures/capture/capture-dtls.ts');
/**
 * Wireshark 4.0 (Debian 12's) fails DTLS 1.2 ChaCha20-Poly1305 records with an auth tag mismatch
 * (its tls debug log), AES-GCM decrypts: the DTLS run offers AES-GCM only (README, "Debugging in
 * Wireshark"). TLS keeps Mbed TLS's default preference.
 */
const DTLS_CIPHERS = 'TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256,TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384';

/** Each message up, then its echo down: the order the app waits in. */
const echoed = (messages: readonly string[]) => messages.map((m) => m + m).join('');

describe('network.pcapng through tshark (real processes)', function () {
  this.timeout(120_000);
  let out: string;
  let results: ScenarioResult[];
  const savedCiphers = process.env.TLSSIM_CAPTURE_CIPHERS;

  before(async function () {
    if (!TSHARK_AVAILABLE) this.skip();
    out = mkdtempSync(join(tmpdir(), 'tlssim-pcap-'));
    process.env.TLSSIM_CAPTURE_CIPHERS = DTLS_CIPHERS;
    const tls = await loadScenario(TLS_FIXTURE);
    const dtls = await loadScenario(DTLS_FIXTURE);
    results = await runMany(
      [
        { file: TLS_FIXTURE, scenario: tls, mode: 'mbedtls' },
        { file: TLS_FIXTURE, scenario: tls, mode: 'offload' },
        { file: DTLS_FIXTURE, scenario: dtls, mode: 'mbedtls' },
      ],
      { outDir: out, baud: 921600, pacing: false, pcap: true, parallel: 3 },
    );
  });

  after(() => {
    if (savedCiphers === undefined) delete process.env.TLSSIM_CAPTURE_CIPHERS;
    else process.env.TLSSIM_CAPTURE_CIPHERS = savedCiphers;
    if (out) rmSync(out, { recursive: true, force: true });
  });

  const run = (scenario: string, mode: string) => {
    const result = results.find((r) => r.scenario === scenario && r.mode === mode);
    if (!result) throw new Error(`no result for ${scenario} (${mode})`);
    expect(result.status, `${scenario} (${mode}): ${result.error}`).to.equal('passed');
    expect(result.pcap).to.equal(join(result.dir, RUN_FILES.pcap));
    return result;
  };

  for (const mode of ['mbedtls', 'offload'] as const) {
    it(`TLS, ${mode} mode: Wireshark decrypts what the app sent and got back`, () => {
      const { dir } = run('fixture-capture-tls', mode);
      const keys = readFileSync(join(dir, RUN_FILES.keyLog), 'utf8');
      expect(keys).to.match(/^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}\n$/);
      const pcap = join(dir, RUN_FILES.pcap);
      expect(decryptedText(pcap, join(dir, RUN_FILES.keyLog), 'tls')).to.equal(echoed(TLS_MESSAGES));
      // Without the key log, nothing decrypts: the plaintext really came from the key log.
      expect(decryptedText(pcap, join(dir, 'no-such-keys.log'), 'tls')).to.equal('');
    });

    it(`TLS, ${mode} mode: one TCP flow, SYN to FIN, in order, checksums good`, () => {
      const { dir } = run('fixture-capture-tls', mode);
      const pcap = join(dir, RUN_FILES.pcap);
      const prefs = { 'tcp.check_checksum': 'TRUE', 'ip.check_checksum': 'TRUE' };
      const flags = tsharkFields(pcap, 'tcp', ['tcp.flags.str', 'tcp.stream'], prefs);
      expect(new Set(flags.map((row) => row[1]))).to.deep.equal(new Set(['0']));
      expect(flags.filter((row) => row[0].includes('S')).length).to.equal(2); // SYN, SYN-ACK
      expect(flags.filter((row) => row[0].includes('F')).length).to.equal(2); // a FIN each way
      const problems = tsharkFields(
        pcap,
        'tcp.analysis.flags || tcp.checksum.status == 0 || ip.checksum.status == 0',
        ['frame.number'],
        prefs,
      );
      expect(problems).to.deep.equal([]);
    });
  }

  it('DTLS, mbedtls mode: Wireshark decrypts the datagrams the app sent and got back', () => {
    const { dir } = run('fixture-capture-dtls', 'mbedtls');
    const pcap = join(dir, RUN_FILES.pcap);
    expect(decryptedText(pcap, join(dir, RUN_FILES.keyLog), 'dtls')).to.equal(echoed(DTLS_MESSAGES));
    const prefs = { 'udp.check_checksum': 'TRUE' };
    expect(tsharkFields(pcap, 'udp.checksum.status == 0', ['frame.number'], prefs)).to.deep.equal([]);
  });

  it('the UART is interface 1: every chunk, its direction, at the trace time of the same clock', () => {
    const { dir } = run('fixture-capture-tls', 'offload');
    const trace = readTrace(join(dir, RUN_FILES.trace));
    const rows = tsharkFields(join(dir, RUN_FILES.pcap), 'frame.interface_id == 1', [
      'frame.time_epoch',
      'frame.p2p_dir',
      'frame.len',
    ]);
    expect(rows.length).to.equal(trace.chunks.length);
    const start = trace.header.startedEpochMs ?? Number.NaN;
    for (const [i, [epoch, dir, len]] of rows.entries()) {
      const chunk = trace.chunks[i];
      expect(Math.abs(Number(epoch) * 1000 - (start + chunk.t)), `chunk ${i} time`).to.be.below(0.002);
      expect(dir, `chunk ${i} direction`).to.equal(chunk.dir === 'tx' ? '0' : '1');
      expect(Number(len)).to.be.above(chunk.data.length); // the exported-PDU header precedes the bytes
    }
    // The AT dissector reads the commands; the network interface shares the timeline.
    const commands = tsharkFields(join(dir, RUN_FILES.pcap), 'at', ['frame.number']);
    expect(commands.length).to.be.above(10);
  });

  it('tlssim trace --pcap rebuilds the same capture from network.jsonl and uart.jsonl', () => {
    const { dir } = run('fixture-capture-tls', 'mbedtls');
    const before = readFileSync(join(dir, RUN_FILES.pcap));
    rmSync(join(dir, RUN_FILES.pcap));
    expect(existsSync(join(dir, RUN_FILES.networkLog))).to.equal(true);
    writeRunPcap(dir);
    expect(readFileSync(join(dir, RUN_FILES.pcap)).equals(before)).to.equal(true);
  });
});
