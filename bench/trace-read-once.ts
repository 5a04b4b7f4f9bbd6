// One measured pass over a trace, in its own process so its peak RSS is its own: `reader` streams the
// records, `uart` runs the runner's UART checks on the stream, `analyse` runs what `tlssim trace
// --json` runs (the analyser still holds the events: docs/architecture.md, "The UART trace").
// Prints {"seconds":…,"maxRssMB":…}.
import { checkUartStream } from '../lab/runner/uart-checks.ts';
import { traceEvents } from '../lab/trace/event-list.ts';
import { analyzeTraceFile } from '../lab/trace/trace-file.ts';
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
  const analysis = analyzeTraceFile(file);
  let length = 0;
  for (const event of traceEvents(analysis)) length += JSON.stringify(event).length;
  if (length === 0) throw new Error('no events');
}
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
