// `openssl s_client -dtls1_2` as an independent client of the lab DTLS server: types a line, collects what
// comes back. stop() kills only this child.
import { type ChildProcess, spawn } from 'node:child_process';

export interface OpensslDtlsClient {
  output(): string;
  /** Resolves once the output contains `text` (rejects if s_client exits first). */
  waitFor(text: string): Promise<void>;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export function startOpensslDtlsClient(
  cwd: string,
  port: number,
  args: string[],
  input: string,
): OpensslDtlsClient {
  const child: ChildProcess = spawn(
    'openssl',
    ['s_client', '-dtls1_2', '-connect', `127.0.0.1:${port}`, '-ign_eof', ...args],
    { cwd, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let output = '';
  const listeners = new Set<() => void>();
  const onOutput = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  child.stdin?.write(input);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    output: () => output,
    waitFor: (text) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!output.includes(text)) return;
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        check();
        void exited.then((code) => {
          listeners.delete(check);
          if (!output.includes(text))
            reject(new Error(`s_client exited (${code}) before "${text}":\n${output}`));
        });
      }),
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
