import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fail, parseCli } from './lib/cli.ts';
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

const { values, positionals, passThrough, root } = parseCli(process.argv.slice(2), {
  usage,
  options: { jobs: { type: 'string' } },
});
const jobs = Number(values.jobs ?? '2');
if (!Number.isInteger(jobs) || jobs < 1) fail('--jobs takes a whole number ≥ 1.', usage);
if (positionals.length > 1) fail('Give at most one stage.', usage);

function selectSuites(only: string | undefined): Suite[] {
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

let suites: Suite[];
try {
  suites = selectSuites(positionals[0]);
} catch (error: unknown) {
  fail(error instanceof Error ? error.message : String(error));
}

if (suites.length === 0) {
  console.error(
    `Nothing to test in ${root}: no shared/, vitest.config.ts or stages/NN-slug/package.json.`,
  );
  process.exit(1);
}

const color = paint(useColor());
const output = orderedOutput(suites.length, (chunk) => process.stdout.write(chunk));
const results = await mapLimit(suites, jobs, async (suite, index) => {
  const where = relative(root, suite.dir) || '.';
  output.write(
    index,
    `\n${color('bold', `━━ ${suite.label}`)} ${color('dim', `(vitest in ${where})`)}\n`,
  );
  const result = await runSuite(suite, root, passThrough, (chunk) => output.write(index, chunk));
  output.done(index);
  return result;
});

const summary = summarize(results);
process.stdout.write(summary.text);
process.exitCode = summary.failed > 0 ? 1 : 0;
