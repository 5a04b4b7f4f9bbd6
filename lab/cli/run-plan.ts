// Which runs `tlssim run` makes: every scenario file × mode, less those the scenario's modes exclude and
// those --grep does not match (both reported as skipped, so a report still shows the whole suite),
// then the --shard part of all of them. A file that does not load is a failed run of its own.
import { type SkippedRun, skippedRun } from '../report/failure-lines.ts';
import { messageOf } from '../runner/error-message.ts';
import type { Job } from '../runner/run-many.ts';
import { failedResult, type ScenarioResult, scenarioSlug } from '../runner/run-scenario.ts';
import { defaultModes, loadScenario } from '../runner/scenario-files.ts';
import { inShard, type Shard } from '../runner/shard.ts';
import { MODES, type Mode } from '../scenario/scenario-types.ts';
import { UsageError } from './cli-args.ts';

export interface RunPlanOptions {
  /** 'both' or a mode: an explicit mode overrides a scenario's mbed_app.json */
  modeArg: string;
  modes: readonly Mode[];
  grep?: RegExp;
  shard?: Shard;
}

export interface RunPlan {
  jobs: Job[];
  skipped: SkippedRun[];
  loadFailures: ScenarioResult[];
  /** runs, skips and load failures in the whole suite, before --shard took its part */
  suiteSize: number;
}

type Entry = { file: string; mode: Mode } & (
  | { job: Job }
  | { skip: SkippedRun }
  | { failure: ScenarioResult }
);

/** The name --grep matches, as the progress lines print a run. */
export function runName(scenario: string, mode: Mode): string {
  return `${scenario} (${mode})`;
}

export async function planRuns(files: readonly string[], options: RunPlanOptions): Promise<RunPlan> {
  const entries: Entry[] = [];
  const slugs = new Map<string, string>();
  for (const file of files) {
    try {
      const scenario = await loadScenario(file);
      const other = slugs.get(scenarioSlug(scenario.name));
      if (other && other !== file) {
        throw new UsageError(
          `${other} and ${file} are both named "${scenario.name}": their runs would share out/${scenarioSlug(scenario.name)}/`,
        );
      }
      slugs.set(scenarioSlug(scenario.name), file);
      // Default: the scenario's modes, else its mbed_app.json's; an explicit --mode overrides mbed_app.json.
      const allowed = options.modeArg === 'both' ? defaultModes(file, scenario) : (scenario.modes ?? MODES);
      for (const mode of options.modes) {
        if (!allowed.includes(mode))
          entries.push({ file, mode, skip: skippedRun(scenario.name, file, mode, allowed) });
        else if (options.grep && !options.grep.test(runName(scenario.name, mode)))
          entries.push({ file, mode, skip: grepSkip(scenario.name, file, mode, options.grep) });
        else entries.push({ file, mode, job: { file, scenario, mode } });
      }
    } catch (error) {
      if (error instanceof UsageError) throw error;
      // Not filtered by --grep: a file that does not load is a broken suite, whatever was selected.
      const mode = options.modes[0];
      entries.push({
        file,
        mode,
        failure: failedResult({ file, mode }, 'load the scenario', messageOf(error)),
      });
    }
  }
  const runnable = entries.filter((e) => 'job' in e || 'failure' in e);
  if (runnable.length === 0)
    throw new UsageError(
      entries.some((e) => 'skip' in e && e.skip.reason.startsWith('does not match'))
        ? `no run matches --grep ${options.grep}`
        : `no scenario supports mode ${options.modeArg}`,
    );
  const mine = options.shard ? inShard(entries, options.shard) : entries;
  return {
    jobs: mine.flatMap((e) => ('job' in e ? [e.job] : [])),
    skipped: mine.flatMap((e) => ('skip' in e ? [e.skip] : [])),
    loadFailures: mine.flatMap((e) => ('failure' in e ? [e.failure] : [])),
    suiteSize: entries.length,
  };
}

function grepSkip(scenario: string, file: string, mode: Mode, grep: RegExp): SkippedRun {
  return { scenario, file, mode, reason: `does not match --grep ${grep}` };
}
