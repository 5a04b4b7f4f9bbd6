// Checks that the datagram faults a scenario declares really happened: a lossy-path scenario whose
// proxy never dropped a datagram tested nothing, and must not pass. Read from the run's faults.json,
// which the run's servers write on release (lab/runner/scenario-servers.ts).
import { existsSync, readFileSync } from 'node:fs';
import type { DirectionStats } from '../faults/fault-path.ts';
import type { DatagramFaultSet, DatagramFaultSpec } from '../faults/fault-spec.ts';
import { messageOf } from './error-message.ts';
import { failedOutcome, type Metrics, type RunOutcome } from './run-outcome.ts';

/** "1 in N" faults and the counter that shows each fired (lab/faults/fault-path.ts). */
const FIRED_BY: ReadonlyArray<[keyof DatagramFaultSet, keyof DirectionStats]> = [
  ['drop', 'dropped'],
  ['duplicate', 'duplicated'],
  ['delay', 'delayed'],
  ['corruptAppData', 'corrupted'],
  ['truncate', 'truncated'],
  ['garbage', 'garbage'],
];

type ProxyReport = { stats: { toServer: DirectionStats; toClient: DirectionStats } };

/** A passed run stays passed only if every declared "1 in N" fault fired at least once. */
export function checkFaultsFired(
  faultsJson: string,
  spec: DatagramFaultSpec | undefined,
  metrics: Metrics,
): RunOutcome {
  const passed: RunOutcome = { status: 'passed', metrics };
  if (!spec) return passed;
  const step = 'check the datagram faults fired';
  if (!existsSync(faultsJson)) return failedOutcome(step, `${faultsJson} was not written`, metrics);
  try {
    const report = JSON.parse(readFileSync(faultsJson, 'utf8')) as { proxies: Record<string, ProxyReport> };
    const failures = unfired(spec, Object.values(report.proxies));
    return failures.length ? failedOutcome(step, `${failures.join('; ')} (${faultsJson})`, metrics) : passed;
  } catch (error) {
    return failedOutcome(step, `${faultsJson}: ${messageOf(error)}`, metrics);
  }
}

/** One message per declared fault that no proxy counted, summed over both directions. */
export function unfired(spec: DatagramFaultSpec, proxies: ProxyReport[]): string[] {
  const failures: string[] = [];
  for (const [fault, counter] of FIRED_BY) {
    const declared = [spec[fault], spec.toServer?.[fault], spec.toClient?.[fault]].some(
      (n) => typeof n === 'number' && n > 0,
    );
    if (!declared) continue;
    const fired = proxies.reduce((sum, p) => sum + p.stats.toServer[counter] + p.stats.toClient[counter], 0);
    if (fired === 0)
      failures.push(`the scenario declares faults.${fault}, but the proxy counted ${counter} = 0`);
  }
  return failures;
}
