// One measured pass over a trace, in its own process so its peak RSS is its own: `reader` streams the
// records, `uart` runs the runner's UART checks on the stream, `json` and `transcript` run what
// `tlssim trace --json` and `tlssim trace` run (the streaming analyser, docs/architecture.md "The trace
// analyser"), writing to /dev/null. Prints {"seconds":…,"maxRssMB":…}.
import { closeSync, openSync, writeSync } from 'node:fs';
import { checkUartStream } from '../lab/runner/uart-checks.ts';
import { BatchedOutput } from '../lab/trace/batched-output.ts';
import { spoolRunJson } from '../lab/trace/json-run.ts';
import { streamTraceFile } from '../lab/trace/trace-file.ts';
import { writeTranscript } from '../lab/trace/transcript.ts';
import { isChunk, openTrace } from '../shared/trace/trace-reader.ts';

const [file, what] = process.argv.slice(2);
const started = performance.now();
if (what === 'reader') {
  let chunks = 0;
  for (const record of openTrace(file)) if (isChunk(record)) chunks++;
  if (chunks === 0) throw new Error('no chunks');
} else if (what === 'uart') {
  const pieces = function* () {
    for (const record of openTrace(file)) if (isChunk(record)) yield record.data;
  };
  checkUartStream(
    { plaintext: { present: ['top-secret-token'], absent: ['-----BEGIN'] } },
    'mbedtls',
    pieces(),
  );
} else {
  const devNull = openSync('/dev/null', 'w');
  let length = 0;
  const out = new BatchedOutput((text) => {
    length += text.length;
    writeSync(devNull, text);
  });
  if (what === 'json') spoolRunJson(streamTraceFile(file), 0).writeTo(out.write);
  else writeTranscript(streamTraceFile(file), out.write);
  out.flush();
  closeSync(devNull);
  if (length === 0) throw new Error('no output');
}
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
