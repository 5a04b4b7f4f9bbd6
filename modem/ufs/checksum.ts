/**
 * The checksum in `+QFUPL: <size>,<checksum>`. Quectel documents it as the XOR of the data taken two
 * bytes at a time. tlssim's exact choice: big-endian 16-bit words (first byte is the high byte), an odd
 * final byte padded with 0x00 as the low byte, printed in lower-case hex without leading zeros
 * (`0` for empty data). Drivers (Mbed OS included) only compare the size, so the choice is visible but
 * harmless.
 */
export function qfuplChecksum(data: Uint8Array): string {
  let sum = 0;
  for (let i = 0; i < data.length; i += 2) {
    sum ^= (data[i] << 8) | (i + 1 < data.length ? data[i + 1] : 0);
  }
  return sum.toString(16);
}
