import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { portIsFree } from '../lib/net.ts';
import { main } from '../stage.ts';
import { createFakeRepo } from './helpers/fake-repo.ts';
import { REPO_ROOT, runMain, userEnv } from './helpers/run-script.ts';

const SERVER = `import { createServer } from 'node:http';
const server = createServer((_req, res) => res.end('hello from stage on ' + process.env.PORT));
server.listen(Number(process.env.PORT), () => console.log('listening'));
process.on('SIGTERM', () => server.close());
`;
// Into a file, not stdout: the stage's scripts write to our terminal (stdio inherited), which a
// test calling the command in its own process cannot read.
const PRINT_ENV = (what: string) =>
  `node -e "require('node:fs').appendFileSync(process.env.STAGE_LOG, ['${what}', process.env.DATABASE_URL, process.env.PORT].join(' ') + '\\n')"`;

const fake = createFakeRepo([
  {
    folder: '01-raw-http',
    scripts: { dev: 'tsx watch src/server.ts' },
    files: { 'src/server.ts': SERVER },
  },
  {
    folder: '03-postgres',
    needs: ['postgres'],
    scripts: {
      'db:migrate': PRINT_ENV('migrate'),
      'db:seed': PRINT_ENV('seed'),
      dev: PRINT_ENV('dev'),
    },
  },
  { folder: '07-redis', needs: ['postgres', 'redis'], scripts: { dev: 'node -e 0' } },
]);
afterAll(() => fake.cleanup());

// `pnpm run --silent <script>` as far as `pnpm stage` uses it: logs the call, runs the stage's
// script with sh. The real pnpm costs a second of CPU per run, three runs in that case; the
// SIGTERM case and stage.ctrl-c.test.ts run the real one.
const pnpmStandIn = join(fake.root, 'bin');
mkdirSync(pnpmStandIn);
writeFileSync(join(pnpmStandIn, 'package.json'), '{ "type": "commonjs" }\n');
writeFileSync(
  join(pnpmStandIn, 'pnpm'),
  `#!${process.execPath}
const { execSync } = require('node:child_process');
const { appendFileSync, readFileSync } = require('node:fs');
const args = process.argv.slice(2);
appendFileSync(process.env.STAGE_LOG, \`pnpm \${args.join(' ')}\\n\`);
const { scripts } = JSON.parse(readFileSync('package.json', 'utf8'));
try {
  execSync(scripts[args.at(-1)], { stdio: 'inherit' });
} catch (error) {
  process.exit(error.status ?? 1);
}
`,
  { mode: 0o755 },
);

async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('pnpm stage <n>', () => {
  it('When called with --help, then it prints its usage and exits 0', async () => {
    const run = await runMain(main, ['--help']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: pnpm stage <n>');
    expect(run.stdout).toContain('PORT');
  });

  it('When no stage is given, then it says which argument is missing and exits 2', async () => {
    const run = await runMain(main, ['--root', fake.root]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Which stage?');
  });

  it('When the stage does not exist, then it lists the stages there are and exits 2', async () => {
    const run = await runMain(main, ['--root', fake.root, '42']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'No stage "42". Stages in this checkout: 01-raw-http, 03-postgres, 07-redis',
    );
  });

  it('When PORT is taken, then it names a free alternative and exits 1', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, resolve));
    const { port } = busy.address() as { port: number };
    try {
      const run = await runMain(main, ['--root', fake.root, '1'], {
        env: { PORT: String(port) },
      });

      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        `Port ${port} is taken. Use another one: PORT=${port + 1} pnpm stage 1`,
      );
    } finally {
      busy.close();
    }
  });

  it('When the stage needs Redis and none answers, then it says how to start one and exits 1', async () => {
    const port = await deadPort();
    const run = await runMain(main, ['--root', fake.root, '07'], {
      env: { REDIS_URL: `redis://127.0.0.1:${port}`, PORT: String(await deadPort()) },
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `needs Redis. REDIS_URL is set, but nothing answers at 127.0.0.1:${port}`,
    );
    expect(run.stderr).toContain('docker compose up -d redis');
    expect(run.stderr).toContain('a redis-server from PATH');
  });

  // The two cases that wait on processes (the stage's own, and pnpm's) wait side by side.
  // This one runs the command in a process of its own, as `pnpm stage` does: the wiring, the exit
  // code, the signals. The others call the command's main in this process.
  // (Concurrent: `expect` from the test's context, which expect.poll needs.)
  it.concurrent('When the stage runs, then it serves on PORT in watch mode and SIGTERM stops the whole tree', async ({
    expect,
  }) => {
    const port = await deadPort();
    // As `pnpm stage` runs it (package.json): node --import tsx. Not through the tsx CLI, whose
    // signal relay SIGKILLs its child when the child does not confirm a signal within 30 ms — on a
    // busy machine that made this test see exit 143.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/stage.ts', '--root', fake.root, '01-raw-http'],
      {
        cwd: REPO_ROOT,
        env: userEnv({ PORT: String(port) }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

    await expect.poll(() => output, { timeout: 20_000 }).toContain('listening');
    const body = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    child.kill('SIGTERM');
    const code = await exited;

    expect(body).toBe(`hello from stage on ${port}`);
    expect(code).toBe(0);
    // the server (a grandchild of pnpm) is gone too: nothing listens on the port any more
    await expect.poll(() => portIsFree(port), { timeout: 5000 }).toBe(true);
  });

  const databaseModule = join(REPO_ROOT, 'shared', 'src', 'testing', 'database.ts');
  it.skipIf(!existsSync(databaseModule)).concurrent(
    'When the stage needs Postgres, then db:migrate, db:seed and dev run in order with DATABASE_URL and PORT',
    async ({ expect }) => {
      const url = 'postgres://postgres:postgres@127.0.0.1:5432/from_env';
      const log = join(fake.root, 'stage-03.log');
      // the database harness's one banner line goes to our stderr: not the point here
      const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      const run = await runMain(main, ['--root', fake.root, '3'], {
        env: {
          DATABASE_URL: url,
          PORT: String(await deadPort()),
          STAGE_LOG: log,
          PATH: `${pnpmStandIn}${delimiter}${process.env.PATH}`,
        },
      }).finally(() => stderr.mockRestore());

      expect(run.code).toBe(0);
      const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
      expect(lines.filter((line) => line.startsWith('pnpm '))).toEqual([
        'pnpm run --silent db:migrate',
        'pnpm run --silent db:seed',
        'pnpm run --silent dev',
      ]);
      const ran = lines.filter((line) => /^(migrate|seed|dev) /.test(line));
      expect(ran.map((line) => line.split(' ')[0])).toEqual(['migrate', 'seed', 'dev']);
      for (const line of ran) expect(line).toMatch(new RegExp(`^\\w+ ${url} \\d+$`));
    },
  );
});
