import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fail, type Io, parseCli, runAsProgram } from './lib/cli.ts';
import { mapLimit, orderedOutput } from './lib/ordered-output.ts';
import { paint, useColor } from './lib/output.ts';
import { discoverStages, findStage } from './lib/stages.ts';
import { runSuite, type Suite, summarize } from './lib/vitest-suite.ts';

const usage = `
Usage: pnpm test [n] [--jobs <k>] [-- <vitest args>]

Runs shared's tests, the scripts' tests and every stage's tests (or only stage n, or "shared",
or "scripts"), each with its own vitest, then prints a table and one last line "N passed, N failed".
Exits 1 if a test failed, a suite crashed, or a suite ran no tests.

Examples:
  pnpm test                 everything
  pnpm test 3               stage 03 only
  pnpm test 3 -- -t "When"  hand the rest to vitest (here: only tests whose name matches)

Options:
  --jobs <k>    suites run at once (default 2; output is still shown one suite after another)
  --root <dir>  the repository to test (default: this one)
  -h, --help    show this help
`;

/** Runs one suite: vitest in a child process (tests pass a stand-in). */
export type RunSuite = typeof runSuite;

export async function main(argv: string[], io: Io, run: RunSuite = runSuite): Promise<number> {
  const { values, positionals, passThrough, root } = parseCli(
    argv,
    { usage, options: { jobs: { type: 'string' } } },
    io.env,
  );
  const jobs = Number(values.jobs ?? '2');
  if (!Number.isInteger(jobs) || jobs < 1) fail('--jobs takes a whole number ≥ 1.', usage);
  if (positionals.length > 1) fail('Give at most one stage.', usage);

  let suites: Suite[];
  try {
    suites = selectSuites(root, positionals[0]);
  } catch (error: unknown) {
    fail(error instanceof Error ? error.message : String(error));
  }

  if (suites.length === 0) {
    io.stderr.write(
      `Nothing to test in ${root}: no shared/, vitest.config.ts or stages/NN-slug/package.json.\n`,
    );
    return 1;
  }

  const colored = useColor(io.env, io.stdout);
  const color = paint(colored);
  const output = orderedOutput(suites.length, (chunk) => io.stdout.write(String(chunk)));
  const started = performance.now();
  const results = await mapLimit(suites, jobs, async (suite, index) => {
    const where = relative(root, suite.dir) || '.';
    output.write(
      index,
      `\n${color('bold', `━━ ${suite.label}`)} ${color('dim', `(vitest in ${where})`)}\n`,
    );
    const result = await run(suite, root, passThrough, (chunk) => output.write(index, chunk), {
      env: io.env,
      color: colored,
    });
    output.done(index);
    return result;
  });

  const summary = summarize(results, {
    node: process.version,
    execPath: process.execPath,
    jobs: Math.min(jobs, suites.length),
    seconds: (performance.now() - started) / 1000,
  });
  io.stdout.write(summary.text);
  return summary.failed > 0 ? 1 : 0;
}

function selectSuites(root: string, only: string | undefined): Suite[] {
  const extra: Suite[] = [];
  if (existsSync(join(root, 'shared', 'package.json'))) {
    extra.push({ label: 'shared', dir: join(root, 'shared') });
  }
  if (existsSync(join(root, 'vitest.config.ts'))) extra.push({ label: 'scripts', dir: root });
  const stages = discoverStages(root).map((stage) => ({ label: stage.folder, dir: stage.dir }));
  if (only === undefined) return [...extra, ...stages];
  const named = extra.find((suite) => suite.label === only);
  if (named) return [named];
  const stage = findStage(discoverStages(root), only);
  return [{ label: stage.folder, dir: stage.dir }];
}

await runAsProgram(import.meta.url, main);
