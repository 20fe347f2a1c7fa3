import { randomBytes } from 'node:crypto';
import type { ResolvedDatabase } from '@backend-path/shared/testing/database';
import type { ResolvedRedis } from '@backend-path/shared/testing/redis-server';
import { fail, type Io, parseCli, runAsProgram } from './lib/cli.ts';
import { portIsFree } from './lib/net.ts';
import { runAttached } from './lib/process.ts';
import { discoverStages, findStage, type Stage } from './lib/stages.ts';

// package.json runs this file as `exec node --import tsx scripts/stage.ts`: no `sh` (it exits 130 when
// Ctrl-C reaches it, whatever we exit with: pnpm's "ELIFECYCLE Command failed") and no tsx CLI
// relaying signals, so Ctrl-C's exit status is ours: 0 for a clean stop.
const usage = `
Usage: pnpm stage <n>            e.g. pnpm stage 3, pnpm stage 03, pnpm stage 03-postgres

Runs stage n in watch mode (its \`dev\` script) on PORT (default 3000).
A stage that needs Postgres gets DATABASE_URL, else the Postgres at
postgres://postgres:postgres@localhost:5432/backend_path, else an embedded PGlite server
(data in .data/); its \`db:migrate\` and \`db:seed\` scripts run first.
A stage that needs Redis gets REDIS_URL, else the Redis at redis://localhost:6379, else a
redis-server from PATH started on a free port (no persistence) and stopped with the stage.

Environment:
  PORT, DATABASE_URL, REDIS_URL, JWT_SECRET (from stage 05; a random one per run when unset)

Options:
  --root <dir>  the repository to read (default: this one)
  -h, --help    show this help
`;

export async function main(argv: string[], io: Io): Promise<number> {
  const { positionals, root } = parseCli(argv, { usage, options: {} }, io.env);
  if (positionals.length !== 1) fail('Which stage? Give one number, e.g. `pnpm stage 1`.', usage);
  const say = (line: string) => io.stdout.write(`${line}\n`);
  const complain = (line: string) => io.stderr.write(`${line}\n`);

  let stage: Stage;
  try {
    stage = findStage(discoverStages(root), positionals[0] ?? '');
  } catch (error: unknown) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (!stage.scripts.dev) {
    complain(`${stage.folder}/package.json has no "dev" script: nothing to run.`);
    return 1;
  }
  const port = io.env.PORT ?? '3000';
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    fail(`PORT must be a port number (1-65535), got "${port}".`);
  }
  if (!(await portIsFree(Number(port)))) {
    complain(
      `Port ${port} is taken. Use another one: PORT=${Number(port) + 1} pnpm stage ${stage.number}`,
    );
    return 1;
  }

  let redis: ResolvedRedis | undefined;
  if (stage.needs.includes('redis')) {
    // REDIS_URL, else localhost:6379, else a redis-server from PATH that lives as long as we do.
    const { resolveRedis } = await import('@backend-path/shared/testing/redis-server');
    try {
      redis = await resolveRedis({ env: io.env });
    } catch (error: unknown) {
      const reason = error instanceof Error ? error.message : String(error);
      complain(`Stage ${stage.folder} needs Redis. ${reason}`);
      return 1;
    }
  }

  let database: ResolvedDatabase | undefined;
  if (stage.needs.includes('postgres')) {
    // Imported only here: stages without a database never load pg or PGlite. The PGlite server, when
    // that is what we get, lives in THIS process, which is why we stay alive while the stage runs.
    const { resolveDatabase } = await import('@backend-path/shared/testing/database');
    database = await resolveDatabase({ name: 'dev', env: io.env });
  }

  const env: NodeJS.ProcessEnv = {
    ...io.env,
    PORT: port,
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...(redis ? { REDIS_URL: redis.url } : {}),
  };
  // From stage 05 the server refuses to start without a JWT_SECRET. For a local run, make a random
  // one (tokens then die with this process; set JWT_SECRET yourself to keep them across runs).
  if (!env.JWT_SECRET) env.JWT_SECRET = randomBytes(32).toString('base64url');
  let exitCode = 0;
  try {
    for (const script of ['db:migrate', 'db:seed', 'dev']) {
      if (!stage.scripts[script]) continue;
      if (script === 'dev') {
        say(
          `▶ ${stage.folder} on port ${port}: watch mode (save a file to restart), Ctrl-C stops it`,
        );
      }
      const exit = await runAttached('pnpm', ['run', '--silent', script], { cwd: stage.dir, env });
      exitCode = exit.code;
      // Ctrl-C (or SIGTERM) is how a learner stops the stage, not a failure.
      if (script === 'dev' && exit.interrupted) exitCode = 0;
      if (exitCode !== 0) break;
    }
  } catch (error: unknown) {
    complain(error instanceof Error ? error.message : String(error));
    exitCode = 1;
  } finally {
    await database?.close();
    await redis?.close();
  }
  return exitCode;
}

// Exit as soon as the stage stops, whatever handles the database or Redis clients left open.
await runAsProgram(import.meta.url, main, { exit: true });
