import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Reads a file of /proc or /sys; undefined when it is not there (not Linux, no such cgroup). */
export type ReadFile = (path: string) => string | undefined;

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

// How many CPUs may this process use? Not os.cpus().length: a container limited to two
// CPUs (`docker run --cpus=2`, a Kubernetes CPU limit) on a 64-core host still sees 64 cores,
// and 64 worker threads would take turns on two. os.availableParallelism() counts the cores the
// process may run on (its affinity: `taskset`, a cpuset); recent Node versions read a cgroup CPU
// quota too, but not in every layout (a cgroup v1 `cpu` hierarchy of its own: Node 24 said 2
// inside a 1-CPU quota). So the quota is read here as well, and the smaller number wins.
export function availableCpus(read: ReadFile = readIfThere): number {
  const cores = availableParallelism();
  const quota = cgroupCpuQuota(read);
  // Whole CPUs, at least one: 1.5 CPUs run one busy worker flat out, not two.
  return quota === undefined ? cores : Math.max(1, Math.min(cores, Math.floor(quota)));
}

/**
 * The CPU quota of this process's cgroup, in CPUs; undefined without one. cgroup v2: `cpu.max`
 * ("150000 100000" is 1.5 CPUs, "max 100000" no limit); v1: `cpu.cfs_quota_us` over
 * `cpu.cfs_period_us` (-1: no limit). /proc/self/cgroup says where this process's cgroup is.
 */
export function cgroupCpuQuota(read: ReadFile = readIfThere): number | undefined {
  const quotas: number[] = [];
  for (const line of (read('/proc/self/cgroup') ?? '').split('\n')) {
    const [, controllers, ...rest] = line.split(':');
    if (controllers === undefined || rest.length === 0) continue;
    const path = rest.join(':') === '/' ? '' : rest.join(':');
    if (controllers === '') {
      // v2. Inside a container its own cgroup is often mounted as the root: look there too.
      const max = firstFound(read, [`/sys/fs/cgroup${path}/cpu.max`, '/sys/fs/cgroup/cpu.max']);
      const [quota, period] = (max ?? '').trim().split(/\s+/).map(Number);
      if (quota !== undefined && period !== undefined && quota > 0 && period > 0)
        quotas.push(quota / period);
    } else if (controllers.split(',').includes('cpu')) {
      const dirs = [`/sys/fs/cgroup/${controllers}${path}`, `/sys/fs/cgroup/cpu${path}`];
      const quota = Number(
        firstFound(
          read,
          dirs.map((dir) => `${dir}/cpu.cfs_quota_us`),
        ),
      );
      const period = Number(
        firstFound(
          read,
          dirs.map((dir) => `${dir}/cpu.cfs_period_us`),
        ),
      );
      if (quota > 0 && period > 0) quotas.push(quota / period);
    }
  }
  return quotas.length === 0 ? undefined : Math.min(...quotas);
}

function firstFound(read: ReadFile, paths: string[]): string | undefined {
  for (const path of paths) {
    const text = read(path);
    if (text !== undefined) return text;
  }
  return undefined;
}
