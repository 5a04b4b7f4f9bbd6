/**
 * The BG96's user file system (UFS): a flat, in-memory namespace for the certificates and keys that
 * offload mode uploads with AT+QFUPL and AT+QSSLCFG names by path. It survives a modem reset
 * (AT+CFUN=1,1) but not the modem process.
 */
export interface StoredFile {
  readonly name: string;
  readonly size: number;
}

/** Why a store operation failed, as the UFS `+CME ERROR` number. */
export const UFS_ERROR = {
  invalidInput: 400,
  notFound: 405,
  invalidName: 406,
  exists: 407,
  noSpace: 420,
  timeout: 421,
  tooLarge: 423,
} as const;

const NAME = /^[A-Za-z0-9_.-]{1,80}$/;

export class FileStore {
  private readonly files = new Map<string, Buffer>();

  constructor(readonly capacity: number) {}

  /**
   * The file's name inside UFS, or undefined if it is not a valid UFS name. `UFS:x` and `x` are the
   * same file; other storage prefixes (RAM:, SD:) do not exist on this modem.
   */
  static normalize(path: string): string | undefined {
    const name = /^UFS:/i.test(path) ? path.slice(4) : path;
    return NAME.test(name) ? name : undefined;
  }

  get used(): number {
    let total = 0;
    for (const data of this.files.values()) total += data.length;
    return total;
  }

  get free(): number {
    return this.capacity - this.used;
  }

  has(name: string): boolean {
    return this.files.has(name);
  }

  read(name: string): Buffer | undefined {
    return this.files.get(name);
  }

  /** Stores a complete file; callers check existence and space first. */
  write(name: string, data: Buffer): void {
    this.files.set(name, Buffer.from(data));
  }

  delete(name: string): boolean {
    return this.files.delete(name);
  }

  deleteAll(): void {
    this.files.clear();
  }

  /** Files matching `*` (all) or one exact name, sorted by name. */
  list(pattern: string): StoredFile[] {
    const all = [...this.files.entries()]
      .map(([name, data]) => ({ name, size: data.length }))
      .sort((a, b) => a.name.localeCompare(b.name));
    if (pattern === '*' || /^UFS:\*$/i.test(pattern)) return all;
    const name = FileStore.normalize(pattern);
    return all.filter((file) => file.name === name);
  }
}
