import type { Duplex } from 'node:stream';

/** A final result line of a command response. */
const FINAL = /\r\n(OK|ERROR|SEND OK|SEND FAIL|\+CME ERROR: [^\r]*)\r\n/;

/**
 * The MCU end of the UART in tests: writes commands and reads everything the modem sends as one
 * latin1 transcript with a cursor, so tests can assert exact bytes in order.
 */
export class AtTestClient {
  private transcript = '';
  private cursor = 0;
  private wake: (() => void) | undefined;

  constructor(private readonly port: Duplex) {
    port.on('data', (chunk: Buffer) => {
      this.transcript += chunk.toString('latin1');
      this.wake?.();
    });
  }

  write(data: string | Uint8Array): void {
    this.port.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data));
  }

  /** Everything received and not yet consumed. */
  get pending(): string {
    return this.transcript.slice(this.cursor);
  }

  /** Everything received since the start. */
  get all(): string {
    return this.transcript;
  }

  /**
   * Waits for `pattern` after the cursor, returns the text up to the end of the match and moves the
   * cursor there. The timeout only stops a broken test from hanging; no test asserts timing with it.
   */
  async until(pattern: string | RegExp, timeoutMs = 3000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.transcript.slice(this.cursor);
      const match = typeof pattern === 'string' ? indexMatch(rest, pattern) : rest.match(pattern);
      if (match && match.index !== undefined) {
        const end = match.index + match[0].length;
        this.cursor += end;
        return rest.slice(0, end);
      }
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting for ${String(pattern)}; pending ${JSON.stringify(rest)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Sends `AT…\r` and returns everything up to and including the final result line. */
  async command(line: string): Promise<string> {
    this.write(`${line}\r`);
    return this.until(FINAL);
  }

  /** Consumes a data prompt `\r\n> ` then sends `data`, returning the response up to its final line. */
  async sendData(line: string, data: string | Uint8Array): Promise<string> {
    this.write(`${line}\r`);
    await this.until('\r\n> ');
    this.write(data);
    return this.until(FINAL);
  }
}

function indexMatch(text: string, needle: string): RegExpMatchArray | null {
  const index = text.indexOf(needle);
  if (index < 0) return null;
  const match = [needle] as unknown as RegExpMatchArray;
  match.index = index;
  return match;
}
