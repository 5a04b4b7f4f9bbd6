// `tlssim run`: the scenario suite as a CI regression run.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type LinkProfile, resolveLinkProfile } from '../../modem/link/link-profile.ts';
import { setLogSink, streamSink } from '../../shared/log.ts';
import { DEFAULT_BAUD_RATE } from '../../shared/uart/open-uart.ts';
import { readUartFaultOption } from '../faults/uart-fault-option.ts';
import type { UartFaultSpec } from '../faults/uart-fault-spec.ts';
import { writeIndexPage } from '../report/index-page.ts';
import { junitXml } from '../report/junit.ts';
import { writeRunReports } from '../report/run-report-files.ts';
import { messageOf } from '../runner/error-message.ts';
import type { RunResult } from '../runner/retry.ts';
import { runMany } from '../runner/run-many.ts';
import { findScenarioFiles } from '../runner/scenario-files.ts';
import { parseShard, type Shard } from '../runner/shard.ts';
import { isMode, MODES, type Mode } from '../scenario/scenario-types.ts';
import { type Command, intOption, parseCommandArgs, UsageError } from './cli-args.ts';
import { clockOption } from './clock-option.ts';
import { planRuns, runName } from './run-plan.ts';
import { jsonReport, progressLine, skippedLine, summaryLine } from './run-report.ts';

export const runCommand: Command = {
  name: 'run',
  summary: 'run scenario files through real MCU and modem processes',
  usage: `Usage: tlssim run [FILES or FOLDERS…] [--mode mbedtls|offload|both] [--baud N] [--no-pacing]
                  [--seed N] [--uart-faults JSON|FILE] [--link PROFILE|JSON] [--pcap]
                  [--out DIR] [--json] [--junit FILE] [--parallel N]
                  [--grep REGEX] [--shard I/N] [--retries N] [--list] [--clock simulated|wall]

Runs each scenario in each of its modes (default: the scenarios/ folder, both modes), one MCU and one
modem process per run, joined by a paced UART. Per run, DIR/<scenario>/<mode>/ (DIR defaults to out)
holds uart.jsonl, air.jsonl (bytes over the air per connection), mcu.log, modem.log and report.html
(tlssim trace --html with the run's costs); DIR/index.html lists every run with its status, duration
and costs, linked to those files.
  --mode       restrict to one mode (a scenario that does not support it is skipped)
  --baud       UART speed (default ${DEFAULT_BAUD_RATE}); --no-pacing lets bytes cross unpaced
  --clock      simulated (default): the MCU, the modem, the wire's pacing, link delays, fault proxies
               and timeouts share one simulated clock that moves only when every part is idle, so a
               busy host cannot change a verdict and no run waits out its line time; wall: host time
               (docs/simulated-time.md)
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
  --grep       run only the runs whose name "scenario (mode)" matches REGEX (case-sensitive, e.g.
               'mutual|resum', '\\(offload\\)$'); the others are reported as skipped
  --shard      run part I of N (1 ≤ I ≤ N) of the runs: sorted by file and mode, dealt round-robin,
               so the N shards of one suite together make every run exactly once (docs/ci.md)
  --retries    run a failed run again up to N times; one that passes on a retry is FLAKY (progress,
               "flaky" and "attempts" in --json, <flakyFailure> in JUnit), counted in the summary,
               and its failed attempts' files kept in <mode>.attempt-K/
  --list       print the runs this selection would make (after --mode, --grep, --shard) and exit,
               1 if a scenario file does not load
Exit code: 0 all passed (flaky runs included), 1 a scenario failed, 2 usage error (also: no run
matches --grep).

Examples:
  tlssim run                                                  every scenario, both modes
  tlssim run scenarios/connect-secure-server.ts --mode offload
  tlssim run scenarios/session-resumption.ts --json --out /tmp/x
  tlssim run scenarios/dtls --seed 7 --no-pacing --junit out/junit.xml
  tlssim run scenarios/connect-secure-server.ts --link nb-iot --json   connect time on NB-IoT
  tlssim run --grep 'mutual-tls' --mode offload               runs whose name matches
  tlssim run --no-pacing --shard 2/4 --retries 2 --junit out/junit-2.xml   CI: one of four machines
  tlssim run --shard 1/4 --list                               what shard 1 of 4 would run
  tlssim run scenarios/plain-tcp-echo.ts --clock wall          on host time, as before simulated time`,
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
        grep: { type: 'string' },
        shard: { type: 'string' },
        retries: { type: 'string' },
        list: { type: 'boolean' },
        clock: { type: 'string' },
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
    const shard = shardOption(values.shard);
    const grep = grepOption(values.grep);
    const { jobs, skipped, loadFailures } = await planRuns(files, { modeArg, modes, grep, shard });
    if (values.list) {
      // What this invocation would run (after --mode, --grep and --shard), one run a line, nothing started.
      for (const job of jobs) console.log(runName(job.scenario.name, job.mode));
      for (const failure of loadFailures)
        console.log(`${runName(failure.scenario, failure.mode)}  (does not load)`);
      return loadFailures.length ? 1 : 0;
    }
    const outDir = resolve(values.out ?? 'out');
    const json = values.json ?? false;
    if (!json) {
      for (const [i, failure] of loadFailures.entries())
        console.log(progressLine(failure, i + 1, loadFailures.length));
      for (const skip of skipped) console.log(skippedLine(skip));
    }
    const seed = values.seed === undefined ? undefined : intOption('seed', values.seed, 0);
    const clock = clockOption(values.clock, 'simulated');
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
            clock,
            parallel:
              values.parallel === undefined ? undefined : intOption('parallel', values.parallel, 1, 1),
            retries: intOption('retries', values.retries, 0),
            onResult: json
              ? undefined
              : (result, done, total) => console.log(progressLine(result, done, total)),
          });
    const results: RunResult[] = [...loadFailures, ...ran];
    const wallMs = performance.now() - started;
    if (values.junit) {
      mkdirSync(dirname(resolve(values.junit)), { recursive: true });
      writeFileSync(values.junit, junitXml(results, 'tlssim', wallMs, skipped));
    }
    writeIndexPage({ outDir, results, skipped, reports: writeRunReports(ran), shard, grep, wallMs });
    const failed = results.filter((r) => r.status === 'failed').length;
    console.log(
      json ? jsonReport(results, skipped, seed, shard) : summaryLine(results, skipped, outDir, shard),
    );
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

function shardOption(text: string | undefined): Shard | undefined {
  if (text === undefined) return undefined;
  try {
    return parseShard(text);
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
}

function grepOption(text: string | undefined): RegExp | undefined {
  if (text === undefined) return undefined;
  try {
    return new RegExp(text);
  } catch (error) {
    throw new UsageError(`--grep: ${messageOf(error)}`);
  }
}

function modesOf(modeArg: string): readonly Mode[] {
  if (modeArg === 'both') return MODES;
  if (isMode(modeArg)) return [modeArg];
  throw new UsageError(`--mode must be mbedtls, offload or both, got "${modeArg}"`);
}
