/**
 * Texts for `+CME ERROR` in verbose mode (AT+CMEE=2). The numbers are what the BG96 reports: 3GPP
 * 27.007 codes for general commands, 4xx for the file system (Quectel FILE manual) and 550–574 for
 * the TCP/IP and SSL stacks (Quectel TCP/IP manual, chapter 4).
 */
export const CME_TEXT: ReadonlyMap<number, string> = new Map([
  [3, 'operation not allowed'],
  [4, 'operation not supported'],
  [10, 'SIM not inserted'],
  [50, 'Incorrect parameters'],
  [100, 'unknown'],
  // UFS file system
  [400, 'Invalid input value'],
  [401, 'Larger than the size of the file'],
  [402, 'Read zero byte'],
  [403, 'Drive full'],
  [405, 'File not found'],
  [406, 'Invalid file name'],
  [407, 'File already existed'],
  [409, 'Fail to write the file'],
  [410, 'Fail to open the file'],
  [411, 'Fail to read the file'],
  [420, 'No space'],
  [421, 'Time out'],
  [423, 'File too large'],
  [425, 'Invalid parameter'],
  // TCP/IP and SSL
  ...Object.entries({
    550: 'Unknown error',
    551: 'Operation blocked',
    552: 'Invalid parameters',
    553: 'Memory not enough',
    554: 'Create socket failed',
    555: 'Operation not supported',
    556: 'Socket bind failed',
    557: 'Socket listen failed',
    558: 'Socket write failed',
    559: 'Socket read failed',
    560: 'Socket accept failed',
    561: 'Open PDP context failed',
    562: 'Close PDP context failed',
    563: 'Socket identity has been used',
    564: 'DNS busy',
    565: 'DNS parse failed',
    566: 'Socket connect failed',
    567: 'Socket has been closed',
    568: 'Operation busy',
    569: 'Operation timeout',
    570: 'PDP context broken down',
    571: 'Cancel send',
    572: 'Operation not allowed',
    573: 'APN not configured',
    574: 'Port busy',
  }).map(([code, text]) => [Number(code), text] as [number, string]),
]);

/** The text AT+CMEE=2 prints; an unknown number prints as the number. */
export function cmeText(code: number): string {
  return CME_TEXT.get(code) ?? String(code);
}
