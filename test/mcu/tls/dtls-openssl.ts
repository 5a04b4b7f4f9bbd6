// `openssl s_server -dtls1_2` as an independent DTLS peer on a free 127.0.0.1 port, with cookies (-listen)
// and an MTU that fits the BG96. Its stdin stays open (s_server ends when stdin ends) so a test can type
// a line to the client; what the client sends shows up in output(). stop() kills only this child.
import { type ChildProcess, spawn } from 'node:child_process';

export interface OpensslDtlsServer {
  port: number;
  output(): string;
  /** Sends text to the connected client (s_server forwards its stdin). */
  type(text: string): void;
  stop(): Promise<void>;
}

export function startOpensslDtlsServer(
  cwd: string,
  args: string[],
  timeoutMs = 5000,
): Promise<OpensslDtlsServer> {
  const child: ChildProcess = spawn(
    'openssl',
    ['s_server', '-dtls1_2', '-accept', '127.0.0.1:0', '-listen', '-mtu', '1200', '-naccept', '1', ...args],
    { cwd, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
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
        resolve({ port: Number(port), output: () => output, type: (text) => child.stdin?.write(text), stop });
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
