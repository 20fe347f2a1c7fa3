import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Command, type Io, runCommand } from '../../lib/cli.ts';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// `node --import tsx`, not the tsx CLI: the CLI starts a second node process to run the script,
// which doubles what every case here pays before the script's first line.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface ScriptRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout then stderr, for "the message is somewhere" assertions */
  output: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  /** replace the environment entirely (after the vitest variables are dropped) */
  cleanEnv?: boolean;
  timeoutMs?: number;
}

/** The environment a user's shell would have: no VITEST_* from the runner we are inside, no color. */
export function userEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1' };
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(VITEST|TEST$|NODE_ENV$|FORCE_COLOR$)/.test(key)) env[key] = value;
  }
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** `scripts/<name>.ts …args` through tsx, run from the repo root like `pnpm <name>` does. */
export function runScript(
  name: string,
  args: string[],
  options: RunOptions = {},
): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', TSX_LOADER, join(REPO_ROOT, 'scripts', `${name}.ts`), ...args],
      {
        cwd: REPO_ROOT,
        env: userEnv(options.env),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 50_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, output: `${stdout}${stderr}` });
    });
  });
}

/**
 * A command's `main` in this process, with runScript's environment and result: what a command
 * does, without the ≈ 0.5 s a node + tsx start costs. One case per command still runs its file
 * (runScript): the proof that the CLI wiring, exit code and output work in a real process.
 * `timeoutMs`: give up waiting (signal 'SIGKILL', like runScript's guard).
 */
export async function runMain(
  command: Command,
  args: string[],
  options: RunOptions = {},
): Promise<ScriptRun> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: {
      write: (chunk: string) => {
        stdout += chunk;
        return true;
      },
    },
    stderr: {
      write: (chunk: string) => {
        stderr += chunk;
        return true;
      },
    },
    env: userEnv(options.env),
  };
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), options.timeoutMs ?? 50_000);
  });
  try {
    const code = await Promise.race([runCommand(command, args, io), timedOut]);
    const signal = code === null ? ('SIGKILL' as const) : null;
    return { code, signal, stdout, stderr, output: `${stdout}${stderr}` };
  } finally {
    clearTimeout(timer);
  }
}

export function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}
