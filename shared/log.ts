// The one logger of every tlssim process (MCU, modem, lab). A line belongs to a channel (`at`, `tls`,
// `cellular`, `modem`, `wire`, `app`, …) and carries an mbed-trace style group and level, so mcu.log
// reads as Mbed OS's mbed-trace output does: `[INFO][TLSW]: message`.
//
// Info, warnings and errors always reach the sink. Debug lines are for the channels a person asks for,
// with TLSSIM_DEBUG=at,tls (or `all`), or that a config key turns on (the `tls` channel while
// `tls-socket.debug-level` > 0, as Mbed TLS's debug output is then wanted).
// Without a sink (library use, most tests) nothing is written.

export type LogLevel = 'DBG' | 'INFO' | 'WARN' | 'ERR';

export interface LogLine {
  channel: string;
  /** the mbed-trace group, e.g. TLSW, CELL, AT, BG96 */
  group: string;
  level: LogLevel;
  message: string;
}

export type LogSink = (line: LogLine) => void;

export interface Logger {
  readonly channel: string;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** The same sink under another channel (and group, default the channel in capitals). */
  child(channel: string, group?: string): Logger;
}

/** Which channels write their debug lines: a set of names, or every channel. */
let debugChannels: Set<string> | 'all' = parseDebugChannels(process.env.TLSSIM_DEBUG);

/** `at,tls` → those channels; `all`, `*` or `1` → every channel; empty → none. */
export function parseDebugChannels(spec: string | undefined): Set<string> | 'all' {
  const names = (spec ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  if (names.some((name) => name === 'all' || name === '*' || name === '1')) return 'all';
  return new Set(names);
}

/** Replaces the debug selection (the CLI passes TLSSIM_DEBUG on to the processes it starts). */
export function setDebugChannels(spec: string | undefined): void {
  debugChannels = parseDebugChannels(spec);
}

/** Conditions under which a channel's debug lines are wanted besides TLSSIM_DEBUG (a config key, say). */
const debugConditions = new Map<string, () => boolean>();

/** Turns a channel's debug lines on whenever `condition` holds (e.g. `tls-socket.debug-level` > 0). */
export function debugWhen(channel: string, condition: () => boolean): void {
  debugConditions.set(channel, condition);
}

export function debugEnabled(channel: string): boolean {
  return debugChannels === 'all' || debugChannels.has(channel) || (debugConditions.get(channel)?.() ?? false);
}

/** `[INFO][TLSW]: message`, as mbed-trace prints it. */
export function formatLogLine(line: LogLine): string {
  return `[${line.level}][${line.group}]: ${line.message}`;
}

/** A logger on its own sink (tests collect lines this way; each process has one on the process sink). */
export function createLogger(sink: LogSink, channel = 'main', group = channel.toUpperCase()): Logger {
  const emit = (level: LogLevel, message: string) => {
    if (level === 'DBG' && !debugEnabled(channel)) return;
    sink({ channel, group, level, message });
  };
  return {
    channel,
    debug: (message) => emit('DBG', message),
    info: (message) => emit('INFO', message),
    warn: (message) => emit('WARN', message),
    error: (message) => emit('ERR', message),
    child: (name, childGroup) => createLogger(sink, name, childGroup ?? name.toUpperCase()),
  };
}

let processSink: LogSink | null = null;

/** Where the process logger writes (the process entry sets it; null = silent). */
export function setLogSink(sink: LogSink | null): void {
  processSink = sink;
}

/** The process logger: silent until a process entry calls setLogSink. */
export const log: Logger = createLogger((line) => processSink?.(line), 'main');

/** A process sink that writes `[seconds] [LEVEL][GROUP]: message` lines to a stream (mcu.log, modem.log). */
export function streamSink(
  write: (text: string) => void,
  now: () => number = () => performance.now(),
): LogSink {
  return (line) => write(`[${(now() / 1000).toFixed(3)}] ${formatLogLine(line)}\n`);
}
