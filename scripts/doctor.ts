import { checkNode, checkPnpm, checkPort, checkPostgres, checkRedis } from './lib/checks.ts';
import { type Io, parseCli, runAsProgram } from './lib/cli.ts';
import { paint, useColor } from './lib/output.ts';
import { discoverStages } from './lib/stages.ts';

const usage = `
Usage: pnpm run doctor   (plain "pnpm doctor" is pnpm's own built-in check)

Checks what the stages need and prints the command that fixes each problem:
  Node ≥ 22.18 (24 recommended) and pnpm 10  required: exit code 1 when missing
  Postgres at DATABASE_URL or localhost:5432  optional: embedded PGlite is used otherwise
  Redis at REDIS_URL or localhost:6379,       needed by the Redis stages only
    else a redis-server on PATH (started for tests and \`pnpm stage\`)
  PORT (default 3000) free                    where \`pnpm stage\` listens

Options:
  --root <dir>  the repository to read (default: this one)
  -h, --help    show this help
`;

export async function main(argv: string[], io: Io): Promise<number> {
  const { root } = parseCli(argv, { usage, options: {} }, io.env);
  const { env } = io;
  const stages = discoverStages(root);
  const firstRedisStage = stages.find((stage) => stage.needs.includes('redis'));
  const redisFrom = firstRedisStage ? String(firstRedisStage.number).padStart(2, '0') : '07';
  const checks = await Promise.all([
    checkNode(),
    checkPnpm(env),
    checkPostgres(env),
    checkRedis(redisFrom, { env }),
    checkPort(String(stages[0]?.number ?? 1), env),
  ]);

  const color = paint(useColor(env, io.stdout));
  const say = (line: string) => io.stdout.write(`${line}\n`);
  for (const check of checks) {
    const mark = check.ok ? color('green', '✓') : color(check.required ? 'red' : 'yellow', '✗');
    say(`${mark} ${check.text}`);
    if (check.fix) say(`    fix: ${check.fix}`);
  }
  const [, , postgres, redis] = checks;
  if (postgres?.fix && redis?.fix && !env.DATABASE_URL && !env.REDIS_URL) {
    say('\nBoth services at once: docker compose up -d postgres redis');
  }
  const failedRequired = checks.filter((check) => check.required && !check.ok);
  if (failedRequired.length > 0) {
    say(`\nNot ready: fix the ${failedRequired.length === 1 ? 'check' : 'checks'} marked ✗ above.`);
    return 1;
  }
  const warnings = checks.filter((check) => !check.ok).length;
  say(warnings ? `\nReady, with ${warnings} warning(s) above.` : '\nAll good.');
  return 0;
}

await runAsProgram(import.meta.url, main);
