// The seeded generator lives in shared/ (the modem's link shaping draws from it too).
export { SeededRandom } from '../../shared/seeded-random.ts';
