// Reads network.jsonl (modem/capture/network-log-format.ts) back. A last line cut short (the runner
// killed the modem mid-write) is left out; any other malformed line is an error naming its line.
import { readFileSync } from 'node:fs';
import { NETWORK_LOG_FORMAT, type NetworkEvent } from '../../../modem/capture/network-log-format.ts';

export function parseNetworkLog(text: string, file = '<network log>'): NetworkEvent[] {
  const lines = text.split('\n');
  const header = JSON.parse(lines[0] || '{}') as { format?: string };
  if (header.format !== NETWORK_LOG_FORMAT) throw new Error(`${file}:1: not a ${NETWORK_LOG_FORMAT} header`);
  const events: NetworkEvent[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    try {
      const event = JSON.parse(lines[i]) as NetworkEvent;
      if (typeof event.t !== 'number' || typeof event.conn !== 'number') throw new Error('no t or conn');
      events.push(event);
    } catch (error) {
      if (i === lines.length - 1 && !text.endsWith('\n')) break;
      throw new Error(`${file}:${i + 1}: ${(error as Error).message}`);
    }
  }
  return events;
}

export function readNetworkLog(file: string): NetworkEvent[] {
  return parseNetworkLog(readFileSync(file, 'utf8'), file);
}
