import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/run-script.ts';

// A contributor's machine, as .ci/run and scripts/services.sh see it: not CI, and a PATH with only
// the basic tools (no pnpm, no PostgreSQL or Redis clients). `apt-get` and `npm` are fakes that
// leave a mark if anything tries to install.
let bin: string;
const marks = () => ['apt-get', 'npm'].filter((tool) => existsSync(join(bin, `${tool}.ran`)));

beforeAll(() => {
  bin = mkdtempSync(join(tmpdir(), 'backend-path-bin-'));
  for (const tool of ['bash', 'seq', 'sleep', 'id', 'mktemp', 'rm', 'dirname', 'tail', 'cat']) {
    const path = execFileSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
    symlinkSync(path, join(bin, tool));
  }
  for (const tool of ['apt-get', 'npm']) {
    writeFileSync(join(bin, tool), `#!${join(bin, 'bash')}\necho ran > "${join(bin, tool)}.ran"\n`);
    chmodSync(join(bin, tool), 0o755);
  }
});
afterAll(() => rmSync(bin, { recursive: true, force: true }));

function run(script: string, env: Record<string, string> = {}) {
  const { CI: _ci, CHROMIUM_PATH: _chromium, ...inherited } = process.env;
  return spawnSync(join(bin, 'bash'), [script], {
    cwd: REPO_ROOT,
    env: { ...inherited, PATH: bin, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe.skipIf(process.platform === 'win32')('scripts/services.sh, not on CI', () => {
  it('When neither service answers, then it names both, says how to start them, and installs nothing', () => {
    const res = run('scripts/services.sh', { SERVICES_PG_PORT: '1', SERVICES_REDIS_PORT: '2' });

    expect(res.status).toBe(1);
    expect(res.stderr).toContain('PostgreSQL does not answer on 127.0.0.1:1');
    expect(res.stderr).toContain('Redis does not answer on 127.0.0.1:2');
    expect(res.stderr).toContain('docker compose up -d postgres');
    expect(marks()).toEqual([]);
  });
});

describe.skipIf(process.platform === 'win32')('.ci/run, not on CI', () => {
  it('When pnpm 10 is missing, then it says so and how to get it, installs nothing and stops', () => {
    const res = run('.ci/run');

    expect(res.status).toBe(1);
    expect(res.stdout).toContain('✗ missing: pnpm 10: npm i -g pnpm@10.34.9');
    expect(res.stdout).not.toContain('pnpm install --frozen-lockfile');
    expect(marks()).toEqual([]);
  });
});
