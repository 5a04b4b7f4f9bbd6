// `tlssim trace`: what crossed the UART in a run, as a transcript, a JSON summary, a side-by-side
// comparison of two runs, or a self-contained HTML report.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { TraceFormatError } from '../../shared/trace/trace-reader.ts';
import { writeHtmlReport } from '../report/html-report.ts';
import type { TraceSummary } from '../trace/analysis-types.ts';
import { BatchedOutput } from '../trace/batched-output.ts';
import { renderCompareTable } from '../trace/compare-table.ts';
import { traceEvents } from '../trace/event-list.ts';
import { type SpooledRun, spoolRunJson } from '../trace/json-run.ts';
import { RUN_FILES } from '../trace/pcap/run-capture-files.ts';
import { writeRunPcap } from '../trace/pcap/run-pcap.ts';
import { analyzeTraceFile, streamTraceFile } from '../trace/trace-file.ts';
import { writeTranscript } from '../trace/transcript.ts';
import { type Command, parseCommandArgs, UsageError } from './cli-args.ts';

export const traceCommand: Command = {
  name: 'trace',
  summary: 'show what crossed the UART: annotated transcript, summary, comparison, HTML report',
  usage: `Usage: tlssim trace FILE|RUN_DIR|SCENARIO_DIR [--compare FILE2] [--json] [--html OUT]
       tlssim trace --pcap RUN_DIR

Rebuilds the AT conversation of a run from its uart.jsonl (FILE may also be the run folder holding
it; a scenario folder holding mbedtls/ and offload/ compares the two modes) and prints it as an
annotated transcript: commands, responses and URCs as text, and each data phase (QISEND, QIRD,
QSSLSEND, QSSLRECV, QFUPL) classified as TLS records (type, version, length, handshake messages in
clear), plaintext, or an upload, with private keys and certificates flagged.
  --compare FILE2  print the summary figures of both runs side by side instead (e.g. the two modes)
  --json           print the summary as JSON with the event list under "events" (commands with
                   latencyMs and result, lines with their role, data phases with what they carried;
                   with --compare: {"runs":[A, B]})
  --html OUT       write a self-contained HTML report (both runs with --compare): a timeline of
                   both directions with plaintext and ciphertext marked, the credentials seen, the
                   summary
  --pcap           write RUN_DIR/network.pcapng from the run's network.jsonl and uart.jsonl: the
                   modem's host sockets as IPv4 TCP/UDP and the UART as a second interface, one
                   clock; decrypt it with the run's keys.log (README, "Debugging in Wireshark")
The trace is read as it goes, in the same memory whatever its length: the transcript is printed as
it is rebuilt (a malformed line ends it there), --json keeps its event list in a temporary file
past 8 MB (the summary, printed first, is known only at the end); --html holds the runs whole.
Exit code: 0 done, 2 usage error or a malformed trace (the message names the line).

Examples:
  tlssim trace out/connect-secure-server/offload              transcript of one run
  tlssim trace out/connect-secure-server                      both modes side by side
  tlssim trace out/mutual-tls/mbedtls/uart.jsonl --compare out/mutual-tls/offload/uart.jsonl --json
  tlssim trace out/connect-secure-server --html out/report.html
  tlssim trace --pcap out/connect-secure-server/mbedtls`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(
      this,
      argv,
      {
        compare: { type: 'string' },
        json: { type: 'boolean' },
        html: { type: 'string' },
        pcap: { type: 'boolean' },
      },
      true,
    );
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(`expected one trace file\n\n${this.usage}`);
    if (values.pcap) return convertToPcap(positionals[0]);
    // A scenario's folder (out/<scenario>/) holding both modes compares them, the usual question.
    const both = ['mbedtls', 'offload'].map((mode) => join(positionals[0], mode, 'uart.jsonl'));
    const files =
      values.compare !== undefined
        ? [positionals[0], values.compare]
        : both.every((f) => existsSync(f))
          ? both
          : positionals;
    if (values.html !== undefined) return writeHtmlRuns(files, resolve(values.html), values.json === true);
    const out = new BatchedOutput((text) => process.stdout.write(text));
    try {
      if (values.json) writeJsonRuns(files, out.write);
      else if (files.length > 1) out.write(renderCompareTable(files.map(streamedSummary)));
      else readable(files[0], () => writeTranscript(streamTraceFile(files[0]), out.write));
    } finally {
      out.flush();
    }
    return 0;
  },
};

/**
 * --json: each run's summary with its events, the events spooled as the trace is read; nothing is
 * printed until every run has been read, so a malformed trace leaves stdout empty.
 */
function writeJsonRuns(files: readonly string[], write: (text: string) => void): void {
  const depth = files.length === 1 ? 0 : 2;
  const runs: SpooledRun[] = [];
  try {
    for (const file of files) runs.push(readable(file, () => spoolRunJson(streamTraceFile(file), depth)));
    if (runs.length === 1) {
      runs[0].writeTo(write);
    } else {
      write('{\n  "runs": [');
      runs.forEach((run, i) => {
        write(i === 0 ? '\n    ' : ',\n    ');
        run.writeTo(write);
      });
      write('\n  ]\n}');
    }
    write('\n');
  } finally {
    for (const run of runs) run.dispose();
  }
}

function streamedSummary(file: string): TraceSummary {
  return readable(file, () => {
    const stream = streamTraceFile(file);
    for (const _ of stream.items());
    return stream.summary;
  });
}

/** --html: the report draws every event, so the runs are analysed and held whole (runs of a few MB). */
function writeHtmlRuns(files: readonly string[], out: string, json: boolean): number {
  const analyses = files.map((file) => readable(file, () => analyzeTraceFile(file)));
  writeHtmlReport(analyses, out);
  // Keep stdout pure JSON when JSON was asked for.
  (json ? console.error : console.log)(`HTML report: ${out}`);
  if (json) {
    // The summary's fields as before, and the event list beside them.
    const summaries = analyses.map((a) => ({ ...a.summary, events: traceEvents(a) }));
    console.log(JSON.stringify(summaries.length === 1 ? summaries[0] : { runs: summaries }, null, 2));
  } else if (analyses.length > 1) {
    process.stdout.write(renderCompareTable(analyses.map((a) => a.summary)));
  }
  return 0;
}

/** Runs `read` on a trace file, turning a malformed or unreadable file into a usage error. */
function readable<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof TraceFormatError) throw new UsageError(`malformed trace: ${error.message}`);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${file}: no such file`);
    if (code === 'EISDIR' || code === 'EACCES') throw new UsageError(`${file}: cannot read (${code})`);
    throw error;
  }
}

/** --pcap: the run folder (or its uart.jsonl) to network.pcapng, with the command that decrypts it. */
function convertToPcap(path: string): number {
  const dir = existsSync(path) && statSync(path).isDirectory() ? path : dirname(path);
  if (!existsSync(join(dir, RUN_FILES.networkLog)) && !existsSync(join(dir, RUN_FILES.trace))) {
    throw new UsageError(`${dir}: no ${RUN_FILES.networkLog} or ${RUN_FILES.trace}: not a run folder`);
  }
  const pcap = writeRunPcap(dir);
  const keys = join(dir, RUN_FILES.keyLog);
  const shown = (file: string) => {
    const near = relative(process.cwd(), file);
    return near && !near.startsWith('..') ? near : resolve(file);
  };
  console.log(`${shown(pcap.file)}: ${pcap.networkPackets} network packets, ${pcap.uartPackets} UART chunks`);
  if (!existsSync(join(dir, RUN_FILES.networkLog))) console.log(`  (no ${RUN_FILES.networkLog}: UART only)`);
  if (pcap.skippedConnections > 0) console.log(`  ${pcap.skippedConnections} IPv6 connection(s) left out`);
  if (existsSync(keys)) {
    console.log(`  wireshark -o tls.keylog_file:${shown(keys)} ${shown(pcap.file)}`);
  }
  return 0;
}
