// What a process holds, read from /proc (Linux): resident memory and open file descriptors. The runner
// samples the MCU and the modem process when the app names a step "sample: <label>", so a scenario (the
// soak, for one) can compare the start of a run with its end (docs/reliability.md, "Leaks and limits").
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessSample {
  rssKiB: number;
  fds: number;
}

/** null when the process is gone or /proc is not there. */
export function sampleProcess(pid: number | undefined): ProcessSample | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return { rssKiB: rss ? Number(rss[1]) : 0, fds: readdirSync(`/proc/${pid}/fd`).length };
  } catch {
    return null;
  }
}

export const SAMPLE_STEP_PREFIX = 'sample: ';

/** Metrics for one sample of both processes, e.g. start.mcuRssKiB, start.modemFds. */
export function sampleMetrics(label: string, pids: { mcu?: number; modem?: number }): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) {
    const sample = sampleProcess(pid);
    if (!sample) continue;
    metrics[`${label}.${name}RssKiB`] = sample.rssKiB;
    metrics[`${label}.${name}Fds`] = sample.fds;
  }
  return metrics;
}
