import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { acceptsConnections, getFreePort } from './ports.ts';

// Stages, labs and their tests have always imported it from here.
export { getFreePort };

export interface ServerExit {
  /** The exit code; null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningServer {
  url: string;
  port: number;
  pid: number;
  /** Everything the server printed so far, stdout and stderr interleaved. */
  output(): string;
  /** SIGTERM (SIGKILL 5 s later if it is still running); resolves once the process is gone. */
  stop(): Promise<void>;
  /**
   * Sends `signal` to the server process itself, as a platform would (a test of graceful
   * shutdown sends SIGTERM under load). An exit the test caused is no news: nothing is printed.
   */
  kill(signal: NodeJS.Signals): void;
  /** How the process ended, once it has and its output is read to the last line. */
  exited: Promise<ServerExit>;
}

// Enough for every access line of a load test: stage 10's SIGTERM test counts them against the
// client's answers, ≈ 300 characters each, and on a fast machine 4,000 of them passed 1 MB (the
// oldest were dropped, and the count came up short).
const MAX_OUTPUT = 32_000_000;
const running = new Set<ChildProcess>();
// A test that forgets stop() must not leave a server holding its port after the run.
process.once('exit', () => {
  for (const child of running) child.kill('SIGTERM');
});

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
  /** Another Node to run the server on (a lab comparing runtimes); default: the one running us. */
  node?: string;
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
  node?: string;
}): Promise<RunningServer | 'port taken'> {
  // 30 s: on a 2-core machine running two suites at once, a tsx server printed nothing in 15 s.
  const { cwd, entry = 'src/server.ts', env = {}, timeoutMs = 30_000 } = options;
  const node = options.node ?? process.execPath;
  const port = await getFreePort();
  const startedAt = Date.now();
  // `node --import tsx` rather than the tsx CLI: the CLI runs the server in a child process, and a
  // SIGKILL to the CLI orphans that child, still holding the port. One process, one signal target.
  const child = spawn(node, ['--import', tsxLoaderUrl(), entry], {
    cwd,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const printed = createOutputBuffer(MAX_OUTPUT);
  const output = printed.text;
  child.stdout?.on('data', printed.append);
  child.stderr?.on('data', printed.append);
  let spawnError: Error | undefined;
  const exited = new Promise<ServerExit>((resolve) => {
    child.once('error', (error) => {
      spawnError = error;
      resolve({ code: null, signal: null });
    });
    // 'close', not 'exit': by then stdout and stderr are read to the end, so output() holds the
    // last lines the server printed (a graceful shutdown's last log line, say).
    child.once('close', (code, signal) => resolve({ code, signal }));
  }).finally(() => running.delete(child));
  const how = ({ code, signal }: ServerExit) => {
    if (spawnError) return `could not start: ${spawnError.message}`;
    return signal ? `killed by ${signal}` : `exit ${code}`;
  };
  let ended = false;
  void exited.then(() => {
    ended = true;
  });
  // Set when the test itself ends the server (stop(), kill()): its exit is then expected.
  let expected = false;
  const stop = () => {
    expected = true;
    return stopChild(child, exited);
  };
  const kill = (signal: NodeJS.Signals) => {
    expected = true;
    child.kill(signal);
  };

  const outcome = await Promise.race([
    waitForPort(port, timeoutMs, () => ended),
    exited.then((exit) => `the server stopped (${how(exit)}) before listening on port ${port}`),
  ]);
  if (outcome === 'listening')
    await whoseListener(port, output, () => ended, startedAt + timeoutMs);
  if (output().includes('EADDRINUSE')) {
    await stop();
    return 'port taken';
  }
  if (outcome !== 'listening') {
    await stop();
    throw new Error(`${entry} in ${cwd}: ${outcome}. Its output:\n${output()}`);
  }
  // A server that dies under a test shows up there only as ECONNREFUSED: say why, here.
  void exited.then((exit) => {
    if (!expected) {
      process.stderr.write(
        `\n[server] ${entry} in ${cwd} stopped (${how(exit)}) while tests were using it. Its output:\n${output()}\n`,
      );
    }
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? 0,
    output,
    stop,
    kill,
    exited,
  };
}

/**
 * The last `max` characters a process printed. Chunks are kept as they come and joined when
 * read: appending each chunk to one string and trimming it copied up to `max` characters per
 * chunk, and a server printing a line per request (an access log under autocannon) then cost
 * the process reading it a whole core, and stalled the server on a full pipe.
 */
export function createOutputBuffer(max: number) {
  const chunks: string[] = [];
  let length = 0;
  const join = () => {
    if (chunks.length > 1 || length > max) {
      const all = chunks.join('').slice(-max);
      chunks.length = 0;
      chunks.push(all);
      length = all.length;
    }
    return chunks[0] ?? '';
  };
  return {
    append(chunk: Buffer | string) {
      const text = chunk.toString();
      chunks.push(text);
      length += text.length;
      // Trimmed only once twice over the cap: each character is copied a bounded number of times.
      if (length > 2 * max) join();
    },
    text: join,
  };
}

/**
 * Waits until the listener on `port` is known to be our server (every stage's server, and the
 * fixtures, print the port they listen on) or known not to be (a server that lost the port to
 * another process prints EADDRINUSE, or exits: the caller checks). Until then, a port that
 * accepts may be another process's: a server started elsewhere with the same free port, while
 * ours, still booting on a busy machine, had not bound it yet. Giving that the benefit of the
 * doubt after 5 s handed tests a URL that refused their first request (seen in CI, twice).
 */
async function whoseListener(
  port: number,
  output: () => string,
  ended: () => boolean,
  until: number,
): Promise<void> {
  const named = new RegExp(`\\b${port}\\b`);
  while (
    Date.now() < until &&
    !ended() &&
    !output().includes('EADDRINUSE') &&
    !named.test(output())
  ) {
    await sleep(25);
  }
}

async function stopChild(child: ChildProcess, exited: Promise<ServerExit>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  // SIGTERM lets a server with graceful shutdown finish; one that ignores it gets 5 s.
  const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(killTimer);
}

async function waitForPort(port: number, timeoutMs: number, ended: () => boolean) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !ended()) {
    if (await acceptsConnections(port)) return 'listening';
    await sleep(50);
  }
  return `nothing listened on port ${port} within ${timeoutMs} ms`;
}

function tsxLoaderUrl(): string {
  // tsx is a dependency of the repo root; resolve it from there, whatever the cwd.
  const require = createRequire(new URL('../../../package.json', import.meta.url));
  return pathToFileURL(require.resolve('tsx')).href;
}
