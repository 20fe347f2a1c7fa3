import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getFreePort } from '@backend-path/shared/testing/server';
import { spawnedServerRedisEnv } from './redis-helpers.ts';

const STAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  port: number;
  output(): string;
  /** The exit code, once the process is gone and its output fully read (`close`, not `exit`). */
  exited: Promise<number | null>;
}

/**
 * The real src/server.ts (`node --import tsx`, one process: a signal reaches the server itself),
 * on a free port; resolves once /api/v1/health/live answers.
 */
export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = await getFreePort();
  const child = spawn(process.execPath, ['--import', TSX, 'src/server.ts'], {
    cwd: STAGE_DIR,
    // NODE_ENV=test: JSON logs as in production, without production's refusal of test values
    // (bcrypt cost 4, a local database); the run's Redis and the test's key prefix.
    env: {
      ...process.env,
      NODE_ENV: 'test',
      ...spawnedServerRedisEnv(),
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => resolve(code)),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const up = await fetch(`${url}/api/v1/health/live`).then(
      (res) => res.ok,
      () => false,
    );
    if (up) return { child, url, port, output: () => output, exited };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`src/server.ts did not start. Its output:\n${output}`);
}

/** The JSON lines the process logged (pino), parsed; other lines are skipped. */
export function jsonLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
