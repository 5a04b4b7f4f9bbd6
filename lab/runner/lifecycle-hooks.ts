// The steps of one run, in order, and the seam tests use to fail each of them in turn and to see what
// each acquired. Not reachable from the command line: only code that calls runScenario() passes hooks.
import { messageOf } from './error-message.ts';

export const LIFECYCLE_STEPS = [
  'create the run folder',
  'open the UART trace',
  "start the run's DTLS servers",
  'listen for the UART ends',
  'start the modem process',
  'start the MCU process',
  'wait for the outcome',
] as const;

export type LifecycleStep = (typeof LIFECYCLE_STEPS)[number];

/** What a step acquired that must be gone once the run is over. */
export interface AcquiredHandles {
  pid?: number;
  tcpPorts?: number[];
  udpPorts?: number[];
  file?: string;
}

export interface LifecycleHooks {
  /** This step throws before it acquires anything. */
  failAt?: LifecycleStep;
  /** The release of what this step acquired throws, after it released. */
  failReleaseOf?: LifecycleStep;
  acquired?(step: LifecycleStep, handles: AcquiredHandles): void;
}

/** A failure that belongs to one step of the lifecycle (the result names the step). */
export class StepFailure extends Error {
  constructor(
    readonly step: LifecycleStep,
    cause: unknown,
  ) {
    super(messageOf(cause), { cause });
  }
}
