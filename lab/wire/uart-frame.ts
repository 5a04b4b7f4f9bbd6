// Serial frame arithmetic: how many bit times one byte takes on the line.
export interface UartFrame {
  text: string;
  bitsPerByte: number;
}

export function parseFrame(text: string): UartFrame {
  const m = /^([5-8])([NEOMS])([12])$/i.exec(text);
  if (!m) throw new Error(`UART frame "${text}" is not like 8N1`);
  const parityBits = m[2].toUpperCase() === 'N' ? 0 : 1;
  return { text: text.toUpperCase(), bitsPerByte: 1 + Number(m[1]) + parityBits + Number(m[3]) };
}

/** Line rate in bytes per second: 115200 baud at 8N1 is 11 520 B/s. */
export function bytesPerSecond(baud: number, frame: UartFrame): number {
  return baud / frame.bitsPerByte;
}
