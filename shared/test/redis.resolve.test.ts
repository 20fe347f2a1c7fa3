import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectTestRedis } from '../src/testing/redis.ts';
import { redisAnswers, redisInstallCommand } from '../src/testing/redis-process.ts';
import { planRedis, resolveRedis } from '../src/testing/redis-server.ts';

// Every branch of "which Redis": REDIS_URL → localhost:6379 → redis-server from PATH → none.
// 6379 is hidden by pointing the default at a port where nothing listens.

async function listen(onConnection?: (socket: Socket) => void): Promise<Server> {
  const server = createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
const urlOf = (server: Server) =>
  `redis://127.0.0.1:${(server.address() as { port: number }).port}`;

let closedUrl: string;
// Just enough Redis to answer PING.
let pong: Server;
// A PATH with no redis-server on it.
let emptyBin: string;

beforeAll(async () => {
  const gone = await listen();
  closedUrl = urlOf(gone);
  await new Promise((resolve) => gone.close(resolve));
  pong = await listen((socket) => socket.on('data', () => socket.write('+PONG\r\n')));
  emptyBin = mkdtempSync(join(tmpdir(), 'backend-path-bin-'));
  symlinkSync(process.execPath, join(emptyBin, 'node'));
});

afterAll(() => {
  pong.close();
  rmSync(emptyBin, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('which Redis', () => {
  it('When REDIS_URL is set and answers, then it is used as is, with one banner line', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);

    const redis = await resolveRedis({ env: { REDIS_URL: urlOf(pong) }, defaultUrl: closedUrl });

    expect(redis).toMatchObject({ kind: 'env', url: urlOf(pong) });
    expect(stderr.mock.calls.map(([line]) => String(line))).toEqual([
      `[redis] using REDIS_URL (${urlOf(pong).slice('redis://'.length)})\n`,
    ]);
  });

  it('When REDIS_URL is set but nothing answers there, then it fails at once saying so', async () => {
    await expect(
      resolveRedis({ env: { REDIS_URL: closedUrl }, defaultUrl: urlOf(pong), quiet: true }),
    ).rejects.toThrow(/REDIS_URL is set, but nothing answers at 127\.0\.0\.1:\d+/);
  });

  it('When REDIS_URL is unset and the default Redis answers, then that one is used', async () => {
    const redis = await resolveRedis({
      env: { PATH: emptyBin },
      defaultUrl: urlOf(pong),
      quiet: true,
    });

    expect(redis).toMatchObject({ kind: 'local', url: urlOf(pong) });
  });

  it('When no Redis answers and redis-server is not on PATH, then it fails at once with the install command', async () => {
    const started = Date.now();
    const attempt = resolveRedis({ env: { PATH: emptyBin }, defaultUrl: closedUrl, quiet: true });

    await expect(attempt).rejects.toThrow(
      /No Redis: nothing answers at 127\.0\.0\.1:\d+, and no redis-server on PATH/,
    );
    await expect(attempt).rejects.toThrow(redisInstallCommand());
    await expect(attempt).rejects.toThrow('docker compose up -d redis');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('When asked for the install command, then macOS gets brew, Debian and Ubuntu get apt, others a link', () => {
    expect(redisInstallCommand('darwin', '')).toMatch(/^brew install redis/);
    expect(redisInstallCommand('linux', 'ID=debian\n')).toBe(
      'sudo apt-get install -y redis-server',
    );
    expect(redisInstallCommand('linux', 'ID=linuxmint\nID_LIKE="ubuntu debian"\n')).toBe(
      'sudo apt-get install -y redis-server',
    );
    expect(redisInstallCommand('linux', 'ID=fedora\n')).toContain('https://redis.io/docs');
    expect(redisInstallCommand('win32', '')).toContain('https://redis.io/docs');
  });
});

describe('a redis-server started from PATH', async () => {
  const plan = await planRedis({
    env: { PATH: process.env.PATH },
    defaultUrl: 'redis://127.0.0.1:1',
  });
  // .ci/run installs redis-server (scripts/services.sh); a Redis in a container brings none.
  const skip = plan.kind !== 'start';
  if (skip) process.stderr.write('[shared tests] skipping: no redis-server on PATH to start\n');

  it.skipIf(skip)(
    'When no Redis answers but redis-server is on PATH, then it is started on a free port, used, and stopped with its folder',
    async () => {
      const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      const redis = await resolveRedis({ env: { PATH: process.env.PATH }, defaultUrl: closedUrl });
      const banner = stderr.mock.calls.map(([line]) => String(line));
      stderr.mockRestore();
      const client = await connectTestRedis({ stage: 'shared-started', url: redis.url });
      await client.client.set(`${client.prefix}k`, 'v');
      const value = await client.client.get(`${client.prefix}k`);
      const dirs = (await client.client.configGet('dir')) as Record<string, string>;
      await client.close();

      await redis.close();

      expect(redis.kind).toBe('started');
      expect(redis.url).not.toBe(closedUrl);
      expect(value).toBe('v');
      expect(banner).toHaveLength(1);
      expect(banner[0]).toMatch(
        /^\[redis\] started .*redis-server at 127\.0\.0\.1:\d+ \(nothing answers at/,
      );
      expect(await redisAnswers(redis.url)).toBe(false);
      expect(existsSync(dirs.dir ?? '')).toBe(false);
    },
  );
});
