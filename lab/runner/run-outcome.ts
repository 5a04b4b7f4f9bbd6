// How a run ended, and the sources that can end it: the MCU's result message, either process exiting,
// and the scenario's timeout. firstOutcome() lets the first of them decide.
import type { ChildProcess } from 'node:child_process';
import { type Clock, realClock } from '../../shared/clock.ts';
import type { OutcomeSource } from './first-outcome.ts';
import type { McuCosts } from './mcu-costs.ts';
import { isMcuResult, isMcuStepMessage } from './mcu-messages.ts';
import type { SpawnedProcess } from './spawn-tlssim.ts';

export type Metrics = Record<string, number>;

export type RunOutcome =
  | { status: 'passed'; metrics: Metrics; mcuCosts?: McuCosts }
  | { status: 'failed'; step: string; error: string; metrics: Metrics; mcuCosts?: McuCosts };

export function failedOutcome(step: string, error: string, metrics: Metrics = {}): RunOutcome {
  return { status: 'failed', step, error, metrics };
}

/** The step the app last named with ctx.step(), which a failure without its own step belongs to. */
export interface RunProgress {
  step: string;
}

/** The MCU's result message; meanwhile its step messages keep `progress` current. */
export function mcuResult(
  child: ChildProcess,
  progress: RunProgress,
  onStep: (name: string) => void = () => undefined,
): OutcomeSource<RunOutcome> {
  return (stop) =>
    new Promise((resolve) => {
      const onMessage = (message: unknown) => {
        if (isMcuStepMessage(message)) {
          progress.step = message.name;
          onStep(message.name);
        } else if (isMcuResult(message) && message.status === 'passed')
          resolve({ status: 'passed', metrics: message.metrics, mcuCosts: message.costs });
        else if (isMcuResult(message))
          resolve({
            ...failedOutcome(
              message.step,
              message.error ?? 'the MCU reported a failure without a message',
              message.metrics,
            ),
            mcuCosts: message.costs,
          });
      };
      child.on('message', onMessage);
      stop.addEventListener('abort', () => child.off('message', onMessage), { once: true });
    });
}

/** A process that exits before the MCU reported: the run failed in whatever step it was in. */
export function processExit(
  process: SpawnedProcess,
  describe: (code: number | string) => string,
  progress: RunProgress,
): OutcomeSource<RunOutcome> {
  return () => process.exited.then((code) => failedOutcome(progress.step, describe(code)));
}

/**
 * The whole-run bound on the run's clock — the host's, or on simulated time the device's, which a busy
 * host cannot run down; stopping it clears its timer.
 */
export function scenarioTimeout(
  timeoutMs: number,
  progress: RunProgress,
  clock: Clock = realClock,
): OutcomeSource<RunOutcome> {
  const of = clock === realClock ? '' : ' of simulated time';
  return (stop) =>
    new Promise((resolve) => {
      const timer = clock.setTimeout(
        () => resolve(failedOutcome(progress.step, `timed out after ${timeoutMs / 1000} s${of}`)),
        timeoutMs,
      );
      stop.addEventListener('abort', () => clock.clearTimeout(timer), { once: true });
    });
}

/**
 * A simulated run's last guard on the host's clock: a part that never reports (a process spinning in a
 * loop) stops time, so no simulated timeout can fire. It trips only when time has not moved at all for
 * `stillMs` of host time — generous, so a loaded host never trips it.
 */
export function wallWatchdog(
  stillMs: number,
  progress: RunProgress,
  time: { readonly now: number },
): OutcomeSource<RunOutcome> {
  return (stop) =>
    new Promise((resolve) => {
      let lastNow = time.now;
      let stillSince = performance.now();
      const check = setInterval(() => {
        // Progress is time moving forward: moves that stay at one instant (timers that keep re-arming
        // at zero delay between the processes) are standing still too.
        if (time.now !== lastNow) {
          lastNow = time.now;
          stillSince = performance.now();
          return;
        }
        if (performance.now() - stillSince < stillMs) return;
        clearInterval(check);
        resolve(
          failedOutcome(
            progress.step,
            `simulated time stood still at ${Math.round(time.now)} ms for ${stillMs / 1000} s of host time: a part never reported idle, or timers kept re-arming at the same instant (see mcu.log and modem.log; TLSSIM_SIM_TRACE=FILE logs each move)`,
          ),
        );
      }, 1000);
      stop.addEventListener('abort', () => clearInterval(check), { once: true });
    });
}
