// The daytime service's one line (RFC 867). RFC 867 leaves the syntax open; this is the ctime(3) form that
// inetd's built-in daytime sends, in UTC: 26 bytes, within the 30-byte buffer of Mbed OS's endpoint-close
// tests ("Thu Nov 26 10:48:59 2026\r\n").

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function daytimeLine(now: Date = new Date()): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const day = String(now.getUTCDate()).padStart(2, ' ');
  const time = `${two(now.getUTCHours())}:${two(now.getUTCMinutes())}:${two(now.getUTCSeconds())}`;
  return `${WEEKDAYS[now.getUTCDay()]} ${MONTHS[now.getUTCMonth()]} ${day} ${time} ${now.getUTCFullYear()}\r\n`;
}
