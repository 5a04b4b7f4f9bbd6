// Bytes as a reader can take them in: printable text as it is, everything else escaped, and long
// payloads cut with a note of how much is left out.

const PRINTABLE = (b: number) => (b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d;

/** Mostly printable ASCII (at least 90%), as application text and PEM are. */
export function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  let printable = 0;
  for (const b of bytes) if (PRINTABLE(b)) printable++;
  return printable / bytes.length >= 0.9;
}

/** `hello\r\n` → `hello\r\n` with the escapes written out; cut after `max` bytes. */
export function escapePreview(bytes: Uint8Array, max = 64): string {
  let out = '';
  const end = Math.min(bytes.length, max);
  for (let i = 0; i < end; i++) {
    const b = bytes[i];
    if (b === 0x0d) out += '\\r';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x5c) out += '\\\\';
    else if (b === 0x22) out += '\\"';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return bytes.length > max ? `${out}… (+${bytes.length - max} B)` : out;
}

/** `16 03 01 02 00 …`: the first `max` bytes in hex. */
export function hexPreview(bytes: Uint8Array, max = 16): string {
  const shown = Array.from(bytes.subarray(0, max), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return bytes.length > max ? `${shown} …` : shown;
}

/** A line of text shown in a transcript: control characters escaped, nothing else changed. */
export function printableLine(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\xff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
