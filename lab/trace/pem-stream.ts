// PEM BEGIN lines in a byte stream fed piece by piece, found exactly where findPemBlocks would find them
// in the whole stream, while keeping only the stream's undecided tail: from where a BEGIN line may
// still be starting (`-----BEG` at the end of a piece, or `-----BEGIN RSA PRI` with its label going on).
import { type PemBlock, pemKind } from './secret-scan.ts';

const BEGIN = /-----BEGIN ([A-Z0-9 ]+)-----/g;
const BEGIN_LINE = '-----BEGIN ';
/** What may follow `-----BEGIN ` in a line not yet finished: label characters, then up to 4 dashes. */
const UNFINISHED_LABEL = /^[A-Z0-9 ]*-{0,4}$/;

export class PemStream {
  /** The undecided tail, as latin1 text, and the stream offset of its first byte. */
  private tail = '';
  private tailStart = 0;

  /** Blocks that begin in the stream so far and were not reported before; offsets count from its start. */
  feed(bytes: Uint8Array): PemBlock[] {
    const text = this.tail + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
    const blocks: PemBlock[] = [];
    let decidedTo = 0;
    for (const match of text.matchAll(BEGIN)) {
      const kind = pemKind(match[1]);
      if (kind) blocks.push({ kind, label: match[1], offset: this.tailStart + match.index });
      decidedTo = match.index + match[0].length;
    }
    const from = undecidedFrom(text, decidedTo);
    this.tail = text.slice(from);
    this.tailStart += from;
    return blocks;
  }

  /** Stream offset before which no block can begin any more. */
  get decidedTo(): number {
    return this.tailStart;
  }
}

/**
 * The first offset at or after `from` where a BEGIN line may be starting that the text cuts short:
 * only the last `-----BEGIN ` can (an earlier one has that one's dashes in its label), else a prefix
 * of `-----BEGIN ` at the very end. The text's length when there is none.
 */
function undecidedFrom(text: string, from: number): number {
  const last = text.lastIndexOf(BEGIN_LINE);
  if (last >= from && UNFINISHED_LABEL.test(text.slice(last + BEGIN_LINE.length))) return last;
  for (let at = Math.max(from, text.length - BEGIN_LINE.length + 1); at < text.length; at++)
    if (BEGIN_LINE.startsWith(text.slice(at))) return at;
  return text.length;
}
