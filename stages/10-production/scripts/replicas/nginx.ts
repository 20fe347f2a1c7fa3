import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acceptsConnections } from '@backend-path/shared/testing/ports';

// Debian's nginx (1.22), started by the test with the repository's deploy/nginx/nginx.conf: the
// same upstream block, retries and timeouts the compose file's nginx:1.27 runs. No daemon, no
// root paths: pid, logs and temp files live in a folder of the run's own.

/** The nginx binary (NGINX, else Debian's path, else PATH's), or null: the test then skips. */
export function findNginx(): string | null {
  const candidates = process.env.NGINX ? [process.env.NGINX] : ['/usr/sbin/nginx', 'nginx'];
  for (const candidate of candidates) {
    if (candidate.startsWith('/') && !existsSync(candidate)) continue;
    if (spawnSync(candidate, ['-v'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return null;
}

/**
 * The repository's config with what must change outside compose, and nothing else:
 * - `server api:3000 resolve …` becomes one `server 127.0.0.1:<port> …` line per replica, with the
 *   same parameters but `resolve`: there is no DNS name here to re-resolve (the replicas are
 *   processes on fixed loopback ports, and a restarted one comes back on the same port), and
 *   Debian's nginx 1.22 refuses the parameter (open-source nginx has it from 1.27.3). What
 *   `resolve` does, finding a container recreated at a new address, is not tested here;
 * - `listen 8080` becomes the test's port on 127.0.0.1;
 * - temp paths and the access log go to the run's folder (nginx's defaults are root's).
 * Each rewrite must match exactly once: a changed config fails here instead of being tested
 * as something else.
 */
export function configForReplicas(
  original: string,
  options: { port: number; replicas: number[]; dir: string },
) {
  const rewrite = (
    config: string,
    pattern: RegExp,
    replace: (match: RegExpExecArray) => string,
  ) => {
    const matches = [...config.matchAll(new RegExp(pattern, 'gm'))];
    if (matches.length !== 1) {
      throw new Error(
        `deploy/nginx/nginx.conf: expected one match of ${pattern}, found ${matches.length}`,
      );
    }
    const match = matches[0] as RegExpExecArray;
    return (
      config.slice(0, match.index) + replace(match) + config.slice(match.index + match[0].length)
    );
  };
  let config = rewrite(original, /^(\s*)server api:\d+ resolve( [^;]*)?;$/, (m) =>
    options.replicas.map((port) => `${m[1]}server 127.0.0.1:${port}${m[2] ?? ''};`).join('\n'),
  );
  config = rewrite(
    config,
    /^(\s*)listen 8080;$/,
    (m) => `${m[1]}listen 127.0.0.1:${options.port};`,
  );
  const dir = options.dir;
  config = rewrite(config, /^http \{$/, () =>
    [
      'http {',
      "  # The test run's own folder (nginx's compiled-in paths belong to root).",
      `  client_body_temp_path ${dir}/client_body;`,
      `  proxy_temp_path ${dir}/proxy;`,
      `  fastcgi_temp_path ${dir}/fastcgi;`,
      `  uwsgi_temp_path ${dir}/uwsgi;`,
      `  scgi_temp_path ${dir}/scgi;`,
      "  log_format replicas '$status $upstream_addr $upstream_status $request';",
      `  access_log ${dir}/access.log replicas;`,
    ].join('\n'),
  );
  return config;
}

export interface RunningNginx {
  url: string;
  /** nginx's error log so far: every upstream error it met (and retried, or not). */
  errorLog(): string;
  /** One line per request: status, the replica(s) tried, their statuses, the request line. */
  accessLog(): string;
  stop(): Promise<void>;
}

export async function startNginx(
  binary: string,
  options: { config: string; port: number; replicas: number[] },
): Promise<RunningNginx> {
  const dir = mkdtempSync(join(tmpdir(), 'backend-path-nginx-'));
  // Started as root, nginx's workers run as nobody: they must reach the temp paths inside.
  chmodSync(dir, 0o755);
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, configForReplicas(options.config, { ...options, dir }));
  const child: ChildProcess = spawn(
    binary,
    [
      '-p',
      `${dir}/`,
      '-c',
      file,
      '-e',
      `${dir}/error.log`,
      '-g',
      `daemon off; pid ${dir}/nginx.pid;`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const read = (name: string) =>
    existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '';
  const deadline = Date.now() + 10_000;
  while (!(await acceptsConnections(options.port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not start:\n${stderr}${read('error.log')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const running: RunningNginx = {
    url: `http://127.0.0.1:${options.port}`,
    errorLog: () => read('error.log'),
    accessLog: () => read('access.log'),
    async stop() {
      if (child.exitCode === null) child.kill('SIGQUIT'); // graceful: finish what is in flight
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return running;
}
