import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../doctor.ts';
import { checkNode, checkRedis } from '../lib/checks.ts';
import { createFakeRepo } from './helpers/fake-repo.ts';
import { runMain, runScript } from './helpers/run-script.ts';

async function listen(onConnection?: (socket: Socket) => void): Promise<Server> {
  const server = createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, resolve));
  return server;
}
const portOf = (server: Server) => (server.address() as { port: number }).port;

async function deadPort(): Promise<number> {
  const server = await listen();
  const port = portOf(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const fake = createFakeRepo([
  { folder: '01-raw-http' },
  { folder: '06-auth', needs: ['postgres'] },
  { folder: '08-jobs', needs: ['postgres', 'redis'] },
]);
let busy: Server;
beforeAll(async () => {
  busy = await listen();
});
afterAll(() => {
  busy.close();
  fake.cleanup();
});

// Side by side: the silent server's timeout and the process of its own are spent waiting.
describe.concurrent('pnpm doctor', () => {
  it('When Postgres and Redis are down and PORT is taken, then each ✗ line has its fix and the exit code is 0', async () => {
    const pgPort = await deadPort();
    const redisPort = await deadPort();
    const port = portOf(busy);

    const run = await runMain(main, ['--root', fake.root], {
      env: {
        DATABASE_URL: `postgres://postgres@127.0.0.1:${pgPort}/backend_path`,
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        PORT: String(port),
      },
    });

    expect(run.code).toBe(0);
    // the Node that runs it, by version and by path: the one `node` on PATH may not be
    expect(run.stdout).toMatch(
      new RegExp(
        `^✓ Node ${process.versions.node.replaceAll('.', '\\.')} at ${process.execPath}`,
        'm',
      ),
    );
    expect(run.stdout).toMatch(/^✓ pnpm 10\./m);
    expect(run.stdout).toContain(
      `✗ Postgres: DATABASE_URL is set, but nothing answers at 127.0.0.1:${pgPort}`,
    );
    expect(run.stdout).toContain('unset DATABASE_URL` to use the embedded PGlite');
    // the first stage that needs Redis is read from the stages' package.json
    expect(run.stdout).toContain(
      `✗ Redis: nothing answers at 127.0.0.1:${redisPort} (needed from stage 08 on)`,
    );
    expect(run.stdout).toContain(
      'fix: docker compose up -d redis   (or: redis-server --daemonize yes',
    );
    expect(run.stdout).toContain(`✗ Port ${port} is taken`);
    expect(run.stdout).toContain(`fix: PORT=${port + 1} pnpm stage 1`);
    expect(run.stdout).toContain('Ready, with 3 warning(s) above.');
  });

  it('When Postgres and Redis answer and the port is free, then every line is ✓ and it says all good', async () => {
    // just enough of each protocol: Postgres declines SSL with 'N', Redis answers PING with +PONG
    const pg = await listen((socket) => socket.once('data', () => socket.end('N')));
    const redis = await listen((socket) => socket.once('data', () => socket.end('+PONG\r\n')));
    try {
      const run = await runMain(main, ['--root', fake.root], {
        env: {
          DATABASE_URL: `postgres://postgres@127.0.0.1:${portOf(pg)}/backend_path`,
          REDIS_URL: `redis://127.0.0.1:${portOf(redis)}`,
          PORT: String(await deadPort()),
        },
      });

      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`✓ Postgres answers at 127.0.0.1:${portOf(pg)} (DATABASE_URL)`);
      expect(run.stdout).toContain(`✓ Redis answers at 127.0.0.1:${portOf(redis)}`);
      expect(run.stdout).not.toContain('✗');
      expect(run.stdout.trimEnd().endsWith('All good.')).toBe(true);
    } finally {
      pg.close();
      redis.close();
    }
  });

  it('When something silent listens at DATABASE_URL, then Postgres is ✗ after a short timeout, not a hang', async () => {
    const silent = await listen();
    try {
      const run = await runMain(main, ['--root', fake.root], {
        env: { DATABASE_URL: `postgres://postgres@127.0.0.1:${portOf(silent)}/x` },
        timeoutMs: 10_000,
      });

      expect(run.signal).toBeNull(); // not given up on by the 10 s guard
      expect(run.stdout).toContain(
        `✗ Postgres: DATABASE_URL is set, but nothing answers at 127.0.0.1:${portOf(silent)}`,
      );
    } finally {
      silent.close();
    }
  });

  // In a process of its own, as `pnpm run doctor` runs it: the command's wiring and exit code. The
  // other cases call the command's main in this process.
  it('When pnpm is not installed, then the pnpm line is ✗ with the install command and the exit code is 1', async () => {
    // a PATH with node only: no pnpm to find
    const bin = mkdtempSync(join(tmpdir(), 'backend-path-bin-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    try {
      const run = await runScript('doctor', ['--root', fake.root], {
        env: { PATH: bin, npm_config_user_agent: undefined, PORT: String(await deadPort()) },
      });

      expect(run.code).toBe(1);
      expect(run.stdout).toContain('✗ pnpm not found');
      expect(run.stdout).toContain('fix: npm i -g pnpm@10.34.9');
      expect(run.stdout).not.toContain('corepack');
      expect(run.stdout).toContain('Not ready');
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('When called with --help, then it prints its usage and exits 0', async () => {
    const run = await runMain(main, ['--help']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: pnpm run doctor');
  });
});

describe('pnpm doctor: which Node runs the stages', () => {
  it('When Node is older than 22.18, then ✗ names that Node and its path, and the fix installs 24', () => {
    const check = checkNode('20.20.2', '/usr/bin/node');

    expect(check).toMatchObject({ ok: false, required: true });
    expect(check.text).toBe(
      'Node 20.20.2 at /usr/bin/node: need ≥ 22.18 (24 recommended, see .nvmrc)',
    );
    expect(check.fix).toMatch(/^nvm install 24 && nvm use 24/);
    expect(checkNode('22.17.1', '/n').ok).toBe(false);
  });

  it('When Node is 22.18 or newer, then ✓; below 24 it recommends 24', () => {
    expect(checkNode('22.18.0', '/n')).toMatchObject({
      ok: true,
      text: expect.stringContaining('24 recommended'),
    });
    expect(checkNode('24.22.3', '/n')).toEqual({
      ok: true,
      required: true,
      text: 'Node 24.22.3 at /n',
    });
    expect(checkNode('26.1.0', '/n')).toEqual({
      ok: true,
      required: true,
      text: 'Node 26.1.0 at /n',
    });
  });
});

describe('pnpm doctor: which Redis the stages will get', () => {
  // 6379 hidden: the default points at a port where nothing listens.
  const bin = mkdtempSync(join(tmpdir(), 'backend-path-bin-'));
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  it('When no Redis answers but redis-server is on PATH, then ✓ says it will be started', async () => {
    const fakeServer = join(bin, 'redis-server');
    writeFileSync(fakeServer, '#!/bin/sh\n', { mode: 0o755 });
    try {
      const check = await checkRedis('07', {
        env: { PATH: bin },
        defaultUrl: `redis://127.0.0.1:${await deadPort()}`,
      });

      expect(check.ok).toBe(true);
      expect(check.text).toMatch(
        /^Redis: nothing answers at 127\.0\.0\.1:\d+; tests and `pnpm stage` start /,
      );
      expect(check.text).toContain(fakeServer);
    } finally {
      rmSync(fakeServer);
    }
  });

  it('When no Redis answers and none is on PATH, then ✗ with the install command for this OS', async () => {
    const check = await checkRedis('07', {
      env: { PATH: bin },
      defaultUrl: `redis://127.0.0.1:${await deadPort()}`,
      platform: 'darwin',
    });

    expect(check.ok).toBe(false);
    expect(check.text).toContain('and no redis-server on PATH (needed from stage 07 on)');
    expect(check.fix).toMatch(/^brew install redis/);
    expect(check.fix).toContain('docker compose up -d redis');
  });

  it('When REDIS_URL is unset and the default Redis answers, then ✓ names it', async () => {
    const redis = await listen((socket) => socket.once('data', () => socket.end('+PONG\r\n')));
    try {
      const check = await checkRedis('07', {
        env: { PATH: bin },
        defaultUrl: `redis://127.0.0.1:${portOf(redis)}`,
      });

      expect(check).toMatchObject({
        ok: true,
        text: `Redis answers at 127.0.0.1:${portOf(redis)}`,
      });
    } finally {
      redis.close();
    }
  });
});
