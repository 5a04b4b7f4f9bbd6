import { isIP } from 'node:net';

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback: the only places tlssim talks to by default. */
export function isLoopback(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return address.startsWith('127.');
  if (family === 6) {
    const lower = address.toLowerCase();
    if (lower.startsWith('::ffff:')) return isLoopback(lower.slice(7));
    return /^(0{0,4}:){7}0{0,3}1$/.test(lower) || lower === '::1';
  }
  return false;
}
