// What the MCU process sends the runner over its IPC channel: the step the app is in, and once, the
// result. Anything arriving there is checked before it is believed, so the runner needs no casts.
import { isMcuCosts } from './mcu-costs.ts';
import type { McuResult } from './mcu-process.ts';

/** Sent by ctx.step(name) in the MCU process (lab/runner/mcu-process.ts). */
export interface McuStepMessage {
  type: 'step';
  name: string;
}

export function isMcuStepMessage(message: unknown): message is McuStepMessage {
  return isRecord(message) && message.type === 'step' && typeof message.name === 'string';
}

export function isMcuResult(message: unknown): message is McuResult {
  return (
    isRecord(message) &&
    message.type === 'result' &&
    (message.status === 'passed' || message.status === 'failed') &&
    typeof message.step === 'string' &&
    (message.error === undefined || typeof message.error === 'string') &&
    typeof message.durationMs === 'number' &&
    isMetrics(message.metrics) &&
    isMcuCosts(message.costs)
  );
}

function isMetrics(value: unknown): value is Record<string, number> {
  return isRecord(value) && Object.values(value).every((metric) => typeof metric === 'number');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
