// The local port the driver gives a new socket (AT+QIOPEN's <local_port>), drawn from the IANA dynamic
// range. Random, as on a device; a run on simulated time seeds it (the run's seed), so two runs of a
// seeded scenario send the same AT commands (docs/simulated-time.md, "Determinism").
import { SeededRandom } from '../../shared/seeded-random.ts';

const DYNAMIC_FIRST = 49152;
const DYNAMIC_COUNT = 65536 - DYNAMIC_FIRST;

let draw: () => number = Math.random;

export function seedEphemeralPorts(seed: number): void {
  const random = new SeededRandom(seed);
  draw = () => random.next();
}

export function ephemeralPort(): number {
  return DYNAMIC_FIRST + Math.floor(draw() * DYNAMIC_COUNT);
}
