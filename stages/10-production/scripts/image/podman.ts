import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// podman builds and runs the same Dockerfiles as Docker, with no daemon. What this machine kind
// needs (see README "Test the image"): runc instead of crun (no cgroups v2 here), cgroupfs, no
// default ulimits (the sandbox refuses podman's RLIMIT values), and the host network (the
// container reaches Postgres and Redis on 127.0.0.1 and publishes its port on the host).
const CONF_DIR = join(tmpdir(), 'backend-path-podman');
const CONF_FILE = join(CONF_DIR, 'containers.conf');
mkdirSync(CONF_DIR, { recursive: true });
writeFileSync(
  CONF_FILE,
  '[containers]\ndefault_ulimits = []\n[engine]\ncgroup_manager = "cgroupfs"\n',
);
const ENV = { ...process.env, CONTAINERS_CONF: process.env.CONTAINERS_CONF ?? CONF_FILE };
const GLOBAL = ['--runtime', 'runc'];

export function hasPodman(): boolean {
  return spawnSync('podman', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Runs podman; returns its stdout, throws with its stderr. `inherit` streams a long build. */
export function podman(args: string[], options: { inherit?: boolean; cwd?: string } = {}): string {
  const out = execFileSync('podman', [...GLOBAL, ...args], {
    env: ENV,
    cwd: options.cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: options.inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
  });
  return (out ?? '').trim();
}

/** Runs podman and returns its exit status and output, without throwing. */
export function podmanStatus(args: string[]): { status: number | null; output: string } {
  const result = spawnSync('podman', [...GLOBAL, ...args], { env: ENV, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

export function imageExists(tag: string): boolean {
  return podmanStatus(['image', 'exists', tag]).status === 0;
}
