// `openssl s_server` as an independent TLS peer on a free 127.0.0.1 port (port 0; the real port is read
// from its "ACCEPT" line). The caller stops it with stop(), which kills only this child.
import { type ChildProcess, spawn } from 'node:child_process';

export interface OpensslServer {
  port: number;
  /** Everything s_server printed so far (stdout and stderr). */
  output(): string;
  /** Resolves once s_server has printed `text`. */
  printed(text: string, timeoutMs?: number): Promise<void>;
  /** Writes to s_server's stdin (it sends what it reads there to the client). */
  input(text: string): void;
  /** Resolves when s_server has exited. */
  exited: Promise<void>;
  stop(): Promise<void>;
}

export function startOpensslServer(cwd: string, args: string[], timeoutMs = 5000): Promise<OpensslServer> {
  const child: ChildProcess = spawn('openssl', ['s_server', '-accept', '127.0.0.1:0', ...args], {
    cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin?.on('error', () => undefined); // s_server may exit before reading its input
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const printed = async (text: string, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    while (!output.includes(text)) {
      if (Date.now() > deadline)
        throw new Error(`openssl s_server did not print ${JSON.stringify(text)}:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`openssl s_server did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString();
      const port = output.match(/^ACCEPT 127\.0\.0\.1:(\d+)/m)?.[1];
      if (port !== undefined) {
        clearTimeout(timer);
        resolve({
          port: Number(port),
          output: () => output,
          printed,
          input: (text) => child.stdin?.write(text),
          exited,
          stop,
        });
      }
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`openssl s_server exited (${code}) before accepting:\n${output}`));
    });
  });
}
