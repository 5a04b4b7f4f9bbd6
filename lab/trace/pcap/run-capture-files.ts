// The capture files of a run folder, and how the runner asks the two processes for them: the modem
// records its host sockets to network.jsonl (TLSSIM_NETWORK_LOG), both processes append the TLS
// secrets they know to keys.log (SSLKEYLOGFILE, the NSS key log). Both are written on every run, so
// `tlssim trace --pcap RUN_DIR` can build network.pcapng afterwards.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { NETWORK_LOG_ENV } from '../../../modem/capture/network-log-format.ts';
import { KEY_LOG_ENV } from '../../../shared/nss-key-log.ts';

export const RUN_FILES = {
  trace: 'uart.jsonl',
  networkLog: 'network.jsonl',
  keyLog: 'keys.log',
  pcap: 'network.pcapng',
} as const;

/** Environment for the run's processes: where the modem records the network and both log keys. */
export function captureEnvironment(runDir: string): Record<string, string> {
  return {
    [NETWORK_LOG_ENV]: join(runDir, RUN_FILES.networkLog),
    [KEY_LOG_ENV]: join(runDir, RUN_FILES.keyLog),
  };
}

/** A run folder is reused by the next run of the same scenario and mode: nothing of the last may stay. */
export function clearRunCapture(runDir: string): void {
  for (const name of [RUN_FILES.networkLog, RUN_FILES.keyLog, RUN_FILES.pcap]) {
    rmSync(join(runDir, name), { force: true });
  }
}
