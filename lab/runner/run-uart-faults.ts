// The UART faults of one run: which spec is in force (tlssim run --uart-faults over the scenario's
// uartFaults key, --seed over either's seed), and what the wire injected, for the run's result.
import type { UartFaultStats } from '../faults/uart-fault-line.ts';
import { type UartFaultSpec, withUartSeed } from '../faults/uart-fault-spec.ts';
import type { ScenarioDefinition } from '../scenario/scenario-types.ts';
import type { WireFaultStats } from '../wire/wire.ts';

export interface RunUartFaults {
  /** the spec in force (seed included) */
  spec: UartFaultSpec;
  /** what the wire did, per direction (tx = MCU → modem, rx = modem → MCU) */
  injected: WireFaultStats;
  /** bytes delivered with an inverted bit, both ways (exact) */
  bytesCorrupted: number;
}

export function uartFaultSpecOf(
  scenario: ScenarioDefinition,
  override: UartFaultSpec | undefined,
  seed: number | undefined,
): UartFaultSpec | undefined {
  const spec = override ?? scenario.uartFaults;
  return spec === undefined ? undefined : withUartSeed(spec, seed);
}

export function runUartFaults(
  spec: UartFaultSpec | undefined,
  injected: WireFaultStats,
): RunUartFaults | undefined {
  if (spec === undefined) return undefined;
  const total = (key: keyof UartFaultStats) => injected.tx[key] + injected.rx[key];
  return { spec, injected, bytesCorrupted: total('bytesCorrupted') };
}
