/** `patchboard serve` as its own process, the way an operator or a container runs it. */
import { type ChildProcess, spawn } from 'node:child_process';

export interface ServeProcess {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The link as printed (with `?token=…` unless --no-token). */
  readonly link: string;
  readonly child: ChildProcess;
  /** Everything written to standard error so far. */
  stderr(): string;
  stop(): Promise<void>;
}

/** How long a server may take to print its link (a first ingest runs before it). */
const START_TIMEOUT_MS = 90_000;

/** Starts `node <bin> serve …args` on a free loopback port and waits for the link it prints. */
export function startServe(
  bin: string,
  args: readonly string[],
  options: { cwd?: string } = {},
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [bin, 'serve', '--host', '127.0.0.1', '--port', '0', ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`serve printed no link within ${START_TIMEOUT_MS} ms; stderr: ${stderr}`));
    }, START_TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const link = /(http:\/\/127\.0\.0\.1:\d+)\/\S*/.exec(stdout);
      if (!link?.[1]) return;
      clearTimeout(timer);
      resolve({ origin: link[1], link: link[0], child, stderr: () => stderr, stop });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with code ${code} before printing a link; stderr: ${stderr}`));
    });
  });
}
