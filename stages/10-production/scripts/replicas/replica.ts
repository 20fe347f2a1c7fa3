import { type ChildProcess, spawn } from 'node:child_process';

/** One replica: the compiled build, as the image runs it (`node dist/server.js`), on its port. */
export interface Replica {
  name: string;
  port: number;
  url: string;
  start(): Promise<void>;
  /** SIGTERM, as `docker stop` sends; resolves with the exit code once the process is gone. */
  terminate(): Promise<number | null>;
  kill(): void;
  /** What the current process printed last (JSON log lines). */
  output(): string;
  /** Every line logged at error or fatal, by every process of this replica so far. */
  errorLines(): string[];
}

export function replica(options: {
  name: string;
  port: number;
  /** /metrics' own port (INTERNAL_PORT): in production each replica listens on one besides `port` */
  internalPort: number;
  cwd: string;
  env: Record<string, string>;
}): Replica {
  const url = `http://127.0.0.1:${options.port}`;
  let child: ChildProcess | undefined;
  let chunks: string[] = [];
  let partial = '';
  const errors: string[] = [];
  let exited: Promise<number | null> = Promise.resolve(null);
  return {
    name: options.name,
    port: options.port,
    url,
    async start() {
      chunks = [];
      const started = spawn(process.execPath, ['dist/server.js'], {
        cwd: options.cwd,
        // Only what the test names: no NODE_OPTIONS (vitest's), no tsx.
        env: {
          PATH: process.env.PATH ?? '',
          ...options.env,
          PORT: String(options.port),
          INTERNAL_PORT: String(options.internalPort),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = started;
      // A line per request for minutes: keep the last few thousand chunks, for a failure's message.
      const keep = (chunk: Buffer) => {
        const text = chunk.toString();
        chunks.push(text);
        if (chunks.length > 4000) chunks.splice(0, 2000);
        const lines = (partial + text).split('\n');
        partial = lines.pop() ?? '';
        errors.push(...lines.filter((line) => /^\{.*"level":(50|60)/.test(line)));
      };
      started.stdout?.on('data', keep);
      started.stderr?.on('data', keep);
      exited = new Promise((resolve) => started.once('exit', (code) => resolve(code)));
      // Ready as the balancer would see it: readiness answers 200 (PostgreSQL and Redis up).
      const deadline = Date.now() + 20_000;
      for (;;) {
        const ready = await fetch(`${url}/api/v1/health/ready`).then(
          async (res) => {
            await res.arrayBuffer();
            return res.ok;
          },
          () => false,
        );
        if (ready) return;
        if (started.exitCode !== null || Date.now() > deadline) {
          started.kill('SIGKILL');
          throw new Error(`${options.name} did not become ready:\n${chunks.join('').slice(-4000)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    terminate() {
      child?.kill('SIGTERM');
      return exited;
    },
    kill() {
      if (child?.exitCode === null) child.kill('SIGKILL');
    },
    output: () => chunks.join(''),
    errorLines: () => [...errors],
  };
}
