// `tlssim run`: the scenario suite as a CI regression run.

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type LinkProfile, resolveLinkProfile } from '../../modem/link/link-profile.ts';
import { setLogSink, streamSink } from '../../shared/log.ts';
import { DEFAULT_BAUD_RATE } from '../../shared/uart/open-uart.ts';
import { readUartFaultOption } from '../faults/uart-fault-option.ts';
import type { UartFaultSpec } from '../faults/uart-fault-spec.ts';
import { type SkippedRun, skippedRun } from '../report/failure-lines.ts';
import { junitXml } from '../report/junit.ts';
import { messageOf } from '../runner/error-message.ts';
import { type Job, runMany } from '../runner/run-many.ts';
import { failedResult, type ScenarioResult, scenarioSlug } from '../runner/run-scenario.ts';
import { defaultModes, findScenarioFiles, loadScenario } from '../runner/scenario-files.ts';
import { isMode, MODES, type Mode } from '../scenario/scenario-types.ts';
import { type Command, intOption, parseCommandArgs, UsageError } from './cli-args.ts';
import { jsonReport, progressLine, skippedLine, summaryLine } from './run-report.ts';

export const runCommand: Command = {
  name: 'run',
  summary: 'run scenario files through real MCU and modem processes',
  usage: `Usage: tlssim run [FILES or FOLDERS…] [--mode mbedtls|offload|both] [--baud N] [--no-pacing]
                  [--seed N] [--uart-faults JSON|FILE] [--link PROFILE|JSON] [--pcap]
                  [--out DIR] [--json] [--junit FILE] [--parallel N]

Runs each scenario in each of its modes (default: the scenarios/ folder, both modes), one MCU and one
modem process per run, joined by a paced UART. Per run, DIR/<scenario>/<mode>/ (DIR defaults to out)
holds uart.jsonl, air.jsonl (bytes over the air per connection), mcu.log and modem.log.
  --mode       restrict to one mode (a scenario that does not support it is skipped)
  --baud       UART speed (default ${DEFAULT_BAUD_RATE}); --no-pacing lets bytes cross unpaced
  --seed       seed for every fault draw, so a failing run can be replayed
  --uart-faults  UART faults for every run instead of each scenario's uartFaults, e.g.
               '{"seed":7,"rx":{"bitErrorRate":1e-4}}' (lab/faults/uart-fault-spec.ts)
  --link       the cellular link for every run instead of each scenario's link: ideal, lte-m, nb-iot,
               or '{"profile":"nb-iot","delayMs":400}' (docs/reliability.md, "Link profiles")
  --pcap       also write network.pcapng per run: the modem's network side and the UART in one capture,
               to open in Wireshark with the run's keys.log (README, "Debugging in Wireshark")
  --json       print {"passed","failed","skipped","seed","results":[…],"skippedRuns":[…]} instead of the
               progress lines, each result with its metrics, costs (MCU TLS heap, UART and air bytes,
               handshakes: docs/costs.md) and log paths; a failure with its step, file:line and causes
  --junit      also write JUnit XML for CI (failures, load errors as <error>, skipped modes as <skipped/>)
Exit code: 0 all passed, 1 a scenario failed, 2 usage error.

Examples:
  tlssim run                                                  every scenario, both modes
  tlssim run scenarios/connect-secure-server.ts --mode offload
  tlssim run scenarios/session-resumption.ts --json --out /tmp/x
  tlssim run scenarios/dtls --seed 7 --no-pacing --junit out/junit.xml
  tlssim run scenarios/connect-secure-server.ts --link nb-iot --json   connect time on NB-IoT`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(
      this,
      argv,
      {
        mode: { type: 'string' },
        baud: { type: 'string' },
        'no-pacing': { type: 'boolean' },
        seed: { type: 'string' },
        'uart-faults': { type: 'string' },
        link: { type: 'string' },
        pcap: { type: 'boolean' },
        out: { type: 'string' },
        json: { type: 'boolean' },
        junit: { type: 'string' },
        parallel: { type: 'string' },
      },
      true,
    );
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    // The runner's and the wire's log lines (warnings; debug with TLSSIM_DEBUG=runner,wire) go to stderr,
    // so stdout keeps only the progress lines or the --json document.
    setLogSink(streamSink((text) => process.stderr.write(text)));
    const modeArg = values.mode ?? 'both';
    const modes = modesOf(modeArg);
    let files: string[];
    try {
      files = findScenarioFiles(positionals.length ? positionals : ['scenarios']);
    } catch (error) {
      throw new UsageError(messageOf(error));
    }
    if (files.length === 0) throw new UsageError('no scenario files found');
    const started = performance.now();
    const jobs: Job[] = [];
    // A file that does not load fails alone (reported like a failed run); the others still run.
    const loadFailures: ScenarioResult[] = [];
    const skipped: SkippedRun[] = [];
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
        const allowed = modeArg === 'both' ? defaultModes(file, scenario) : (scenario.modes ?? MODES);
        for (const mode of modes) {
          if (allowed.includes(mode)) jobs.push({ file, scenario, mode });
          else skipped.push(skippedRun(scenario.name, file, mode, allowed));
        }
      } catch (error) {
        if (error instanceof UsageError) throw error;
        loadFailures.push(failedResult({ file, mode: modes[0] }, 'load the scenario', messageOf(error)));
      }
    }
    if (jobs.length === 0 && loadFailures.length === 0)
      throw new UsageError(`no scenario supports mode ${modeArg}`);
    const outDir = resolve(values.out ?? 'out');
    const json = values.json ?? false;
    if (!json) {
      for (const [i, failure] of loadFailures.entries())
        console.log(progressLine(failure, i + 1, loadFailures.length));
      for (const skip of skipped) console.log(skippedLine(skip));
    }
    const seed = values.seed === undefined ? undefined : intOption('seed', values.seed, 0);
    const ran =
      jobs.length === 0
        ? []
        : await runMany(jobs, {
            outDir,
            baud: intOption('baud', values.baud, DEFAULT_BAUD_RATE, 1),
            pacing: !values['no-pacing'],
            seed,
            uartFaults: uartFaults(values['uart-faults']),
            link: linkOption(values.link),
            pcap: values.pcap ?? false,
            parallel:
              values.parallel === undefined ? undefined : intOption('parallel', values.parallel, 1, 1),
            onResult: json
              ? undefined
              : (result, done, total) => console.log(progressLine(result, done, total)),
          });
    const results = [...loadFailures, ...ran];
    if (values.junit)
      writeFileSync(values.junit, junitXml(results, 'tlssim', performance.now() - started, skipped));
    const failed = results.filter((r) => r.status === 'failed').length;
    console.log(json ? jsonReport(results, skipped, seed) : summaryLine(results, skipped, outDir));
    return failed ? 1 : 0;
  },
};

function uartFaults(text: string | undefined): UartFaultSpec | undefined {
  if (text === undefined) return undefined;
  try {
    return readUartFaultOption(text);
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
}

/** --link: a profile name or JSON figures, checked now so a mistake is a usage error. */
function linkOption(text: string | undefined): LinkProfile | undefined {
  if (text === undefined) return undefined;
  try {
    return resolveLinkProfile(text.trim().startsWith('{') ? JSON.parse(text) : text);
  } catch (error) {
    throw new UsageError(`--link: ${messageOf(error)}`);
  }
}

function modesOf(modeArg: string): readonly Mode[] {
  if (modeArg === 'both') return MODES;
  if (isMode(modeArg)) return [modeArg];
  throw new UsageError(`--mode must be mbedtls, offload or both, got "${modeArg}"`);
}
