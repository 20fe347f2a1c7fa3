import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

export interface RunningServer {
  url: string;
  port: number;
  /** The server's process id (labs read its CPU time from /proc/<pid>/stat). */
  pid: number;
  /** Everything the server printed so far, stdout and stderr interleaved. */
  output(): string;
  stop(): Promise<void>;
}

const MAX_OUTPUT = 1_000_000;
const running = new Set<ChildProcess>();
// A test that forgets stop() must not leave a server holding its port after the run.
process.once('exit', () => {
  for (const child of running) child.kill('SIGTERM');
});

export function getFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Runs a stage's real entry point (`tsx src/server.ts`) on a free port, for black-box tests and
 * labs. Resolves once the port accepts connections and the server's output names its port;
 * rejects with the server's output if it exits first or does not listen within `timeoutMs`.
 */
export async function startStageServer(options: {
  cwd: string;
  entry?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}): Promise<RunningServer> {
  // The free port is free only when asked: until the server binds it, another process (a test's
  // own listen(0), another server) may take it. The port then answers, but not from our server,
  // which fails with EADDRINUSE (seen in CI, as ECONNREFUSED once that other listener closed).
  // So a start counts only when the server's own output names its port; else, a new port.
  for (let attempt = 1; ; attempt += 1) {
    const started = await startOnce(options);
    if (started !== 'port taken' || attempt === 3) {
      if (started === 'port taken')
        throw new Error(`${options.entry ?? 'src/server.ts'}: three ports taken in a row`);
      return started;
    }
  }
}

async function startOnce(options: {
  cwd: string;
  entry?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}): Promise<RunningServer | 'port taken'> {
  const { cwd, entry = 'src/server.ts', env = {}, timeoutMs = 15_000 } = options;
  const port = await getFreePort();
  // `node --import tsx` rather than the tsx CLI: the CLI runs the server in a child process, and a
  // SIGKILL to the CLI orphans that child, still holding the port. One process, one signal target.
  const child = spawn(process.execPath, ['--import', tsxLoaderUrl(), entry], {
    cwd,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-MAX_OUTPUT);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(`could not start: ${error.message}`));
    child.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `exit ${code}`));
  }).finally(() => running.delete(child));
  let ended = false;
  void exited.then(() => {
    ended = true;
  });
  let stopping = false;
  const stop = () => {
    stopping = true;
    return stopChild(child, exited);
  };

  const outcome = await Promise.race([
    waitForPort(port, timeoutMs, () => ended),
    exited.then((how) => `the server stopped (${how}) before listening on port ${port}`),
  ]);
  if (outcome === 'listening') await whoseListener(port, () => output);
  if (output.includes('EADDRINUSE')) {
    await stop();
    return 'port taken';
  }
  if (outcome !== 'listening') {
    await stop();
    throw new Error(`${entry} in ${cwd}: ${outcome}. Its output:\n${output}`);
  }
  // A server that dies under a test shows up there only as ECONNREFUSED: say why, here.
  void exited.then((how) => {
    if (!stopping) {
      process.stderr.write(
        `\n[server] ${entry} in ${cwd} stopped (${how}) while tests were using it. Its output:\n${output}\n`,
      );
    }
  });
  return { url: `http://127.0.0.1:${port}`, port, pid: child.pid ?? 0, output: () => output, stop };
}

/**
 * Waits until the listener on `port` is known to be our server (every stage's server, and the
 * fixtures, print the port they listen on) or known not to be (a server that lost the port to
 * another process prints EADDRINUSE: the caller checks). One that prints neither within a few
 * seconds gets the benefit of the doubt.
 */
async function whoseListener(port: number, output: () => string): Promise<void> {
  const named = new RegExp(`\\b${port}\\b`);
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && !output().includes('EADDRINUSE') && !named.test(output())) {
    await sleep(25);
  }
}

async function stopChild(child: ChildProcess, exited: Promise<string>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  // SIGTERM lets a server with graceful shutdown finish; one that ignores it gets 5 s.
  const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(killTimer);
}

async function waitForPort(port: number, timeoutMs: number, ended: () => boolean) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !ended()) {
    if (await accepts(port)) return 'listening';
    await sleep(50);
  }
  return `nothing listened on port ${port} within ${timeoutMs} ms`;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function tsxLoaderUrl(): string {
  // tsx is a dependency of the repo root; resolve it from there, whatever the cwd.
  const require = createRequire(new URL('../../../package.json', import.meta.url));
  return pathToFileURL(require.resolve('tsx')).href;
}
