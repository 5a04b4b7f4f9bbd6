// DTLS time goes through the shared clock (shared/clock.ts).
export { type Clock, realClock } from '../../shared/clock.ts';
