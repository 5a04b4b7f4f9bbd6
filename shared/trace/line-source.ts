// The lines of a text file read in fixed-size blocks, so a trace of any length is read in constant
// memory: V8 caps a string at about 512 MB (0x1fffffe8 characters), and reading a whole trace into one
// string both fails beyond that and holds the trace several times over (text, lines, parsed objects).
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export interface SourceLine {
  /** 1-based line number */
  no: number;
  text: string;
  /** the last line, without its newline (a writer killed mid-line) */
  unterminated: boolean;
}

const BLOCK_BYTES = 1 << 20;

/** Lines of `file`, front to back; the file is closed when the loop ends or breaks. */
export function* fileLines(file: string, blockBytes = BLOCK_BYTES): Generator<SourceLine> {
  const fd = openSync(file, 'r');
  try {
    const block = Buffer.allocUnsafe(blockBytes);
    // Multi-byte UTF-8 characters may straddle two blocks; the decoder holds the partial bytes.
    const decoder = new StringDecoder('utf8');
    let carry = '';
    let no = 0;
    for (;;) {
      const n = readSync(fd, block, 0, blockBytes, null);
      const text = n > 0 ? carry + decoder.write(block.subarray(0, n)) : carry + decoder.end();
      if (n === 0) {
        if (text !== '') yield { no: ++no, text, unterminated: true };
        return;
      }
      let start = 0;
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
        yield { no: ++no, text: text.slice(start, end), unterminated: false };
        start = end + 1;
      }
      carry = text.slice(start);
    }
  } finally {
    closeSync(fd);
  }
}

/** The same lines from text already in memory (tests, small traces). */
export function* textLines(text: string): Generator<SourceLine> {
  let no = 0;
  let start = 0;
  for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
    yield { no: ++no, text: text.slice(start, end), unterminated: false };
    start = end + 1;
  }
  if (start < text.length) yield { no: ++no, text: text.slice(start), unterminated: true };
}
