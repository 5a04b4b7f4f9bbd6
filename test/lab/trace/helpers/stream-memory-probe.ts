// One streaming pass over a trace in a process of its own (run with --expose-gc), as `tlssim trace`
// makes it: `json` spools the event list and writes the run's JSON, `transcript` writes the transcript,
// `held` collects the whole analysis (what the streaming passes must not do). Every few thousand items
// the heap is collected and measured. Prints {"items":…,"peakGrowth":…,"outputBytes":…}: the largest
// live growth (heap plus Buffer memory) over the process before reading.
import { spoolRunJson } from '../../../../lab/trace/json-run.ts';
import { analyzeTraceFile, streamTraceFile } from '../../../../lab/trace/trace-file.ts';
import { writeTranscript } from '../../../../lab/trace/transcript.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const [file, what] = process.argv.slice(2);
const SAMPLE_EVERY = 500;

function live(): number {
  gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const base = live();
let peak = 0;
let items = 0;
let outputBytes = 0;
const sample = () => {
  peak = Math.max(peak, live() - base);
};
const write = (text: string) => {
  outputBytes += text.length;
};

if (what === 'held') {
  const analysis = analyzeTraceFile(file);
  items = analysis.events.length;
  sample();
} else {
  const stream = streamTraceFile(file);
  const items0 = stream.items.bind(stream);
  stream.items = function* () {
    for (const item of items0()) {
      if (++items % SAMPLE_EVERY === 0) sample();
      yield item;
    }
  };
  if (what === 'json') {
    const run = spoolRunJson(stream, 0);
    sample();
    run.writeTo(write);
  } else {
    writeTranscript(stream, write);
  }
  sample();
}
console.log(JSON.stringify({ items, peakGrowth: peak, outputBytes }));
