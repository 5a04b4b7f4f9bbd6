// mbed-trace style logging ("[INFO][TLSW]: ..."): one sink for the MCU process, silent by default so
// library code can log freely in tests.
export type TraceLevel = 'DBG' | 'INFO' | 'WARN' | 'ERR';

let sink: ((line: string) => void) | null = null;

export function setTraceSink(next: ((line: string) => void) | null): void {
  sink = next;
}

function emit(level: TraceLevel, group: string, message: string): void {
  sink?.(`[${level}][${group}]: ${message}`);
}

export const tr_debug = (group: string, message: string) => emit('DBG', group, message);
export const tr_info = (group: string, message: string) => emit('INFO', group, message);
export const tr_warn = (group: string, message: string) => emit('WARN', group, message);
export const tr_error = (group: string, message: string) => emit('ERR', group, message);
