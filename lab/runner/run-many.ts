// Runs scenario × mode jobs in parallel (up to the core count), one lab shared by all of them; a failed
// run is retried in the same worker when asked (retry.ts).
import { availableParallelism } from 'node:os';
import type { LinkProfile } from '../../modem/link/link-profile.ts';
import type { UartFaultSpec } from '../faults/uart-fault-spec.ts';
import type { Mode, ScenarioDefinition } from '../scenario/scenario-types.ts';
import { startLab } from '../servers/lab.ts';
import { messageOf } from './error-message.ts';
import { type RunResult, runWithRetries } from './retry.ts';
import { failedResult, runScenario } from './run-scenario.ts';
import { sharedKinds } from './scenario-servers.ts';

export interface Job {
  file: string;
  scenario: ScenarioDefinition;
  mode: Mode;
}

export interface RunManyOptions {
  outDir: string;
  baud: number;
  pacing: boolean;
  seed?: number;
  /** UART faults for every run instead of each scenario's own (tlssim run --uart-faults) */
  uartFaults?: UartFaultSpec;
  /** the cellular link for every run instead of each scenario's own (tlssim run --link) */
  link?: LinkProfile;
  /** network.pcapng per run (tlssim run --pcap, tlssim demo) */
  pcap?: boolean;
  parallel?: number;
  /** simulated (default) or wall: the clock every run runs on (docs/simulated-time.md) */
  clock?: 'simulated' | 'wall';
  /** run a failed run again up to this many times (tlssim run --retries); default 0 */
  retries?: number;
  onStart?: (job: Job) => void;
  onResult?: (result: RunResult, done: number, total: number) => void;
}

export async function runMany(jobs: Job[], options: RunManyOptions): Promise<RunResult[]> {
  const kinds = [...new Set(jobs.flatMap((job) => sharedKinds(job.scenario)))];
  const lab = await startLab({ kinds });
  const results: RunResult[] = new Array(jobs.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      const job = jobs[index];
      options.onStart?.(job);
      const once = async () => {
        try {
          return await runScenario({
            ...job,
            lab,
            outDir: options.outDir,
            baud: options.baud,
            pacing: options.pacing,
            seed: options.seed,
            uartFaults: options.uartFaults,
            link: options.link,
            pcap: options.pcap,
            clock: options.clock,
          });
        } catch (error) {
          // runScenario reports its own failures as results; this is the last resort for a bug in it.
          return failedResult(job, 'start the run', messageOf(error));
        }
      };
      results[index] = await runWithRetries(once, options.retries ?? 0);
      options.onResult?.(results[index], ++done, jobs.length);
    }
  };
  const parallel = Math.max(1, Math.min(options.parallel ?? availableParallelism(), jobs.length));
  try {
    await Promise.all(Array.from({ length: parallel }, worker));
  } finally {
    await lab.close();
  }
  return results;
}
