import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { portIsFree } from '../lib/net.ts';
import { createFakeRepo } from './helpers/fake-repo.ts';
import { REPO_ROOT, userEnv } from './helpers/run-script.ts';

// A server that says how it stopped: a clean SIGINT handler, as the stages' servers have.
const SERVER = `import { createServer } from 'node:http';
const server = createServer((_req, res) => res.end('ok'));
server.listen(Number(process.env.PORT), () => console.log('listening'));
process.on('SIGINT', () => server.close(() => console.log('closed cleanly')));
`;

const fake = createFakeRepo([
  {
    folder: '01-raw-http',
    scripts: { dev: 'tsx watch src/server.ts' },
    files: { 'src/server.ts': SERVER },
  },
]);
afterAll(() => fake.cleanup());

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('pnpm stage <n>, stopped with Ctrl-C', () => {
  it.skipIf(process.platform === 'win32')(
    'When the terminal sends SIGINT to the whole group, then the server shuts down cleanly and pnpm exits 0 without ELIFECYCLE',
    async () => {
      const port = await freePort();
      // As a terminal runs it: `pnpm stage` in a process group of its own, which Ctrl-C signals.
      const child = spawn('pnpm', ['stage', '--root', fake.root, '1'], {
        cwd: REPO_ROOT,
        env: userEnv({ PORT: String(port) }),
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let output = '';
      const append = (chunk: Buffer) => {
        output += chunk.toString();
      };
      child.stdout.on('data', append);
      child.stderr.on('data', append);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

      await expect.poll(() => output, { timeout: 30_000 }).toContain('listening');
      process.kill(-(child.pid as number), 'SIGINT');
      const code = await exited;

      expect(output).toContain('closed cleanly');
      expect(output).not.toContain('Force killing');
      expect(output).not.toContain('ELIFECYCLE');
      expect(code).toBe(0);
      await expect.poll(() => portIsFree(port), { timeout: 5000 }).toBe(true);
    },
  );
});
