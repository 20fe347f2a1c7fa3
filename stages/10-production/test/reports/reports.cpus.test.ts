import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { availableCpus, cgroupCpuQuota } from '../../src/reports/available-cpus.ts';

const STAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const CORES = availableParallelism();

/** A /proc and /sys of our own: path → content, anything else missing. */
function files(contents: Record<string, string>) {
  return (path: string) => contents[path];
}

describe('availableCpus: the CPUs this process may use', () => {
  it('When a cgroup v2 quota says 1.5 CPUs, then 1 (whole CPUs, never more than the cores)', () => {
    const read = files({
      '/proc/self/cgroup': '0::/kubepods/pod1/app\n',
      '/sys/fs/cgroup/kubepods/pod1/app/cpu.max': '150000 100000\n',
    });

    expect(cgroupCpuQuota(read)).toBe(1.5);
    expect(availableCpus(read)).toBe(1);
  });

  it('When the container’s own cgroup is mounted as the root (cgroup v2), then its cpu.max counts', () => {
    const read = files({
      '/proc/self/cgroup': '0::/docker/4f1c\n',
      '/sys/fs/cgroup/cpu.max': '50000 100000\n',
    });

    expect(cgroupCpuQuota(read)).toBe(0.5);
    expect(availableCpus(read)).toBe(1); // at least one
  });

  it('When cgroup v1 sets a quota of 64 CPUs, then the cores still bound it', () => {
    const read = files({
      '/proc/self/cgroup': '4:cpu,cpuacct:/docker/4f1c\n3:memory:/docker/4f1c\n0::/\n',
      '/sys/fs/cgroup/cpu,cpuacct/docker/4f1c/cpu.cfs_quota_us': '6400000\n',
      '/sys/fs/cgroup/cpu,cpuacct/docker/4f1c/cpu.cfs_period_us': '100000\n',
    });

    expect(cgroupCpuQuota(read)).toBe(64);
    expect(availableCpus(read)).toBe(CORES);
  });

  it.each([
    [
      'cgroup v2 "max"',
      { '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': 'max 100000\n' },
    ],
    [
      'cgroup v1 quota -1',
      {
        '/proc/self/cgroup': '1:cpu:/\n',
        '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1\n',
        '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n',
      },
    ],
    ['no /proc at all (macOS, Windows)', {}],
  ])('When there is no quota (%s), then every core the process may run on', (_, contents) => {
    expect(cgroupCpuQuota(files(contents))).toBeUndefined();
    expect(availableCpus(files(contents))).toBe(CORES);
  });
});

describe('REPORT_WORKERS and the CPUs', () => {
  it('When REPORT_WORKERS asks for more workers than there are CPUs, then it gets one per CPU: more would only take turns', () => {
    expect(loadConfig({ REPORT_WORKERS: '64' }).reportWorkers).toBe(availableCpus());
    expect(loadConfig({}).reportWorkers).toBe(availableCpus());
    expect(loadConfig({ REPORT_WORKERS: '1' }).reportWorkers).toBe(1);
  });

  // The real thing, where this machine lets a test make a cgroup (Linux, as root, cgroup v1
  // with a `cpu` hierarchy or v2 with the cpu controller): a server started inside a 1-CPU quota.
  it('When the process runs in a cgroup limited to one CPU, then the server’s config gives one worker', async (context) => {
    const cgroup = makeOneCpuCgroup();
    if (cgroup === undefined || CORES < 2) context.skip();
    try {
      const { stdout } = await promisify(execFile)(
        'sh',
        [
          '-c',
          `echo $$ > ${cgroup?.procs} && exec "$0" --import tsx --input-type=module -e "$1"`,
          process.execPath,
          "const { loadConfig } = await import('./src/config.ts'); console.log(loadConfig({ REPORT_WORKERS: '8' }).reportWorkers);",
        ],
        { cwd: STAGE_DIR },
      );
      expect(stdout.trim()).toBe('1');
    } finally {
      cgroup?.remove();
    }
  });
});

/** A cgroup with a quota of one CPU, or undefined where this machine does not allow it. */
function makeOneCpuCgroup() {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined;
  const name = `backend-path-test-${process.pid}`;
  try {
    if (existsSync('/sys/fs/cgroup/cpu/cpu.cfs_quota_us')) {
      const dir = `/sys/fs/cgroup/cpu/${name}`;
      mkdirSync(dir);
      const period = readFileSync(`${dir}/cpu.cfs_period_us`, 'utf8').trim();
      writeFileSync(`${dir}/cpu.cfs_quota_us`, period); // one period of CPU time per period
      return { procs: `${dir}/cgroup.procs`, remove: () => rmdirSync(dir) };
    }
    if (existsSync('/sys/fs/cgroup/cgroup.subtree_control')) {
      const dir = `/sys/fs/cgroup/${name}`;
      mkdirSync(dir);
      if (!existsSync(`${dir}/cpu.max`)) {
        rmdirSync(dir);
        return undefined;
      }
      writeFileSync(`${dir}/cpu.max`, '100000 100000');
      return { procs: `${dir}/cgroup.procs`, remove: () => rmdirSync(dir) };
    }
  } catch {
    return undefined;
  }
  return undefined;
}
