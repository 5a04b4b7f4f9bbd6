/**
 * Typed access to a command's parameters. A wrong parameter throws ParamError; the command table turns
 * that into the family's "invalid parameters" error, so handlers read their arguments in one line each.
 */
export class ParamError extends Error {}

/** One comma-separated parameter as written: quoted string or bare token. Empty = not given. */
export interface RawParam {
  readonly quoted: boolean;
  readonly text: string;
}

const DECIMAL = /^[0-9]{1,10}$/;

export class Params {
  constructor(private readonly list: readonly (RawParam | undefined)[]) {}

  get count(): number {
    return this.list.length;
  }

  /** True when parameter `i` is present and not empty. */
  has(i: number): boolean {
    return this.list[i] !== undefined;
  }

  raw(i: number): RawParam | undefined {
    return this.list[i];
  }

  /** Rejects a parameter list shorter than `min` or longer than `max`. */
  expectCount(min: number, max: number = min): this {
    if (this.list.length < min || this.list.length > max) {
      throw new ParamError(`expected ${min}..${max} parameters, got ${this.list.length}`);
    }
    return this;
  }

  int(i: number, min: number, max: number): number {
    const p = this.list[i];
    if (p === undefined) throw new ParamError(`parameter ${i + 1} missing`);
    if (p.quoted || !DECIMAL.test(p.text)) throw new ParamError(`parameter ${i + 1} is not a number`);
    const value = Number(p.text);
    if (value < min || value > max) throw new ParamError(`parameter ${i + 1} out of range ${min}..${max}`);
    return value;
  }

  optInt(i: number, min: number, max: number, fallback: number): number {
    return this.has(i) ? this.int(i, min, max) : fallback;
  }

  /** A string parameter; BG96 accepts both quoted and bare forms for most of them. */
  string(i: number): string {
    const p = this.list[i];
    if (p === undefined) throw new ParamError(`parameter ${i + 1} missing`);
    return p.text;
  }

  /** A string that must be written in double quotes (file names, hosts). */
  quoted(i: number): string {
    const p = this.list[i];
    if (p === undefined || !p.quoted) throw new ParamError(`parameter ${i + 1} must be a quoted string`);
    return p.text;
  }

  optString(i: number, fallback: string): string {
    return this.has(i) ? this.string(i) : fallback;
  }
}
