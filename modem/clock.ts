// The modem waits on the shared clock; its default is real time that never keeps a process alive.
export { backgroundClock as realClock, type Clock, sleep } from '../shared/clock.ts';
