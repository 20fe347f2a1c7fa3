import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getFreePort, startStageServer } from '../src/testing/server.ts';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

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

  it('When stop() is called, then the server gets SIGTERM and its port closes', async () => {
    const server = await startStageServer({ cwd: fixtures, entry: 'hello-server.ts' });

    await server.stop();

    expect(server.output()).toContain('SIGTERM received, closing');
    expect(await refusesConnections(server.port)).toBe(true);
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
