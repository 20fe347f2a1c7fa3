import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { acceptsConnections } from '../src/testing/ports.ts';
import { getFreePort, type RunningServer, startStageServer } from '../src/testing/server.ts';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

describe('getFreePort', () => {
  it('When asked for a port, then it returns one that can be listened on', async () => {
    const port = await getFreePort();
    const server = createServer();

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });

    expect(port).toBeGreaterThan(0);
    server.close();
  });
});

// Each case waits on a child process of its own: side by side, the file takes as long as its slowest.
describe.concurrent('startStageServer', () => {
  it('When the server listens on PORT, then it resolves with a URL that answers', async () => {
    const server = await startStageServer({
      cwd: fixtures,
      entry: 'hello-server.ts',
      env: { GREETING: 'hi from env' },
    });
    try {
      const response = await fetch(server.url);

      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toEqual({ data: { greeting: 'hi from env' } });
      expect(server.output()).toContain(`listening on ${server.port}`);
    } finally {
      await server.stop();
    }
  });

  it('When another node comes first on PATH, then the server still runs on the Node that runs the tests', async () => {
    // A `node` that is not one: if the harness ran `node` from PATH, the server would never start.
    const bin = mkdtempSync(join(tmpdir(), 'backend-path-other-node-'));
    writeFileSync(
      join(bin, 'node'),
      '#!/bin/sh\necho "v20.0.0 (not the test run\'s node)"; exit 1\n',
      {
        mode: 0o755,
      },
    );
    try {
      const server = await startStageServer({
        cwd: fixtures,
        entry: 'hello-server.ts',
        env: { PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
      });
      try {
        const response = await fetch(`${server.url}/node`);

        expect(await response.json()).toEqual({
          data: { version: process.version, execPath: process.execPath },
        });
      } finally {
        await server.stop();
      }
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('When stop() is called, then the server gets SIGTERM and its port closes', async () => {
    const server = await startStageServer({ cwd: fixtures, entry: 'hello-server.ts' });

    await server.stop();

    expect(server.output()).toContain('SIGTERM received, closing');
    expect(await acceptsConnections(server.port)).toBe(false);
  });

  it('When something else answers on the port before the server names it, then start waits for the server: the URL is ours', async () => {
    const server = await startStageServer({ cwd: fixtures, entry: 'slow-to-name.ts' });
    try {
      const response = await fetch(server.url);

      expect(await response.json()).toEqual({ data: { greeting: 'ours' } });
    } finally {
      await server.stop();
    }
  });

  it('When the server crashes on boot, then it rejects with what the server printed', async () => {
    const attempt = startStageServer({ cwd: fixtures, entry: 'crash-on-boot.ts' });

    await expect(attempt).rejects.toThrow(/stopped \(exit 1\) before listening/);
    await expect(attempt).rejects.toThrow(/Invalid config: DATABASE_URL is required/);
  });

  it('When nothing listens within timeoutMs, then it rejects with the output so far', async () => {
    const attempt = startStageServer({
      cwd: fixtures,
      entry: 'never-listens.ts',
      // long enough for the fixture to print its line on a busy machine (it starts through tsx)
      timeoutMs: 8_000,
    });

    await expect(attempt).rejects.toThrow(/nothing listened on port \d+ within 8000 ms/);
    await expect(attempt).rejects.toThrow(/still connecting to the database/);
  });
});

// Not concurrent: more servers starting side by side than the four above time out on a busy
// 2-core machine, and the last two read what the harness writes to the test run's stderr.
describe('startStageServer, when the server stops under a test', () => {
  async function harnessWarnings(end: (server: RunningServer) => Promise<void>) {
    const server = await startStageServer({ cwd: fixtures, entry: 'hello-server.ts' });
    const written: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      await end(server);
      await server.exited;
      // the warning is written in a callback of `exited`: one more turn for it
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      stderr.mockRestore();
    }
    return written.filter((chunk) => chunk.includes('[server]'));
  }

  it('When the test sends SIGTERM with kill(), then exited says exit code 0, once the last line is read', async () => {
    const server = await startStageServer({ cwd: fixtures, entry: 'hello-server.ts' });

    server.kill('SIGTERM');
    const exit = await server.exited;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(server.output()).toMatch(/SIGTERM received, closing\nclosed\n$/);
    expect(await acceptsConnections(server.port)).toBe(false);
  });

  it('When the test kills it with SIGKILL, then exited says that signal and no exit code', async () => {
    const server = await startStageServer({ cwd: fixtures, entry: 'hello-server.ts' });
    // pid is the server itself (node --import tsx, no wrapper process): it is alive now.
    expect(() => process.kill(server.pid, 0)).not.toThrow();

    server.kill('SIGKILL');
    const exit = await server.exited;

    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(server.output()).not.toContain('SIGTERM received');
    expect(() => process.kill(server.pid, 0)).toThrow(/ESRCH/);
  });

  it('When the server exits by itself with a code, then exited says that code', async () => {
    const server = await startStageServer({ cwd: fixtures, entry: 'hello-server.ts' });

    await fetch(`${server.url}/crash`).catch(() => {});
    const exit = await server.exited;

    expect(exit).toEqual({ code: 3, signal: null });
    expect(server.output()).toContain('crashing on purpose');
  });

  it('When it dies by itself, then the harness prints how it ended and its output', async () => {
    const warnings = await harnessWarnings(async (server) => {
      await fetch(`${server.url}/crash`).catch(() => {});
    });

    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /hello-server\.ts in .* stopped \(exit 3\) while tests were using it/,
    );
    expect(warnings[0]).toContain('crashing on purpose');
  });

  it('When the test ends it (kill or stop), then the harness prints nothing', async () => {
    const killed = await harnessWarnings(async (server) => server.kill('SIGKILL'));
    const stopped = await harnessWarnings((server) => server.stop());

    expect(killed).toEqual([]);
    expect(stopped).toEqual([]);
  });
});
