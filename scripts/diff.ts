import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fail, type Io, parseCli, runAsProgram } from './lib/cli.ts';
import { renderDiffPage } from './lib/diff-html.ts';
import {
  collapsedLines,
  type DiffLabels,
  formatStat,
  formatTerminalDiff,
  statSummary,
} from './lib/diff-terminal.ts';
import { exitQuietlyOnClosedPipe, useColor } from './lib/output.ts';
import { discoverStages, findStage, type Stage } from './lib/stages.ts';
import { diffTrees, formatPatch, splitForReading } from './lib/tree-diff.ts';

const usage = `
Usage: pnpm diff <a> <b> [--stat] [--html [file]] [--docs]

Shows what stage b changes from stage a: the lesson, without the noise (node_modules, dist,
coverage, .data, generated, lab-results, *.tsbuildinfo, lockfiles, .env, logs, and the package
name in package.json). Code first: a file moved with small changes is a rename with its diff
(like git's, at ≥ 50% similarity); files of stage a that b does not carry are one line each
with their size; README changes collapse to one line unless --docs.

  pnpm diff 1 2                 colored unified diff in the terminal (plain when piped or NO_COLOR)
  pnpm diff 1 2 --stat          lines added/removed per file, and totals
  pnpm diff 1 2 --html          a self-contained side-by-side page (default file: in your temp folder)
  pnpm diff 1 2 --html out.html the same page, written where you say
  pnpm diff 1 2 --docs          the README changes too, in full
  FORCE_COLOR=1 pnpm diff 1 2 | less -R   page through a long diff, in color

Options:
  --context <n>  lines of context around each change (default 3)
  --root <dir>   the repository to read (default: this one)
  -h, --help     show this help
`;

export async function main(rawArgv: string[], io: Io): Promise<number> {
  // `--html=file` is accepted as well as `--html file`
  const argv = rawArgv.flatMap((arg) => {
    const match = /^--html=(.*)$/.exec(arg);
    return match ? ['--html', match[1] ?? ''] : [arg];
  });
  const { values, positionals, root } = parseCli(
    argv,
    {
      usage,
      options: {
        stat: { type: 'boolean' },
        html: { type: 'boolean' },
        docs: { type: 'boolean' },
        context: { type: 'string' },
      },
    },
    io.env,
  );
  const maxPositionals = values.html ? 3 : 2;
  if (positionals.length < 2 || positionals.length > maxPositionals) {
    fail('Give two stages, e.g. `pnpm diff 1 2`.', usage);
  }
  const context = Number(values.context ?? '3');
  if (!Number.isInteger(context) || context < 0) fail('--context takes a whole number ≥ 0.', usage);

  let a: Stage;
  let b: Stage;
  try {
    const stages = discoverStages(root);
    a = findStage(stages, positionals[0] ?? '');
    b = findStage(stages, positionals[1] ?? '');
  } catch (error: unknown) {
    fail(error instanceof Error ? error.message : String(error));
  }

  exitQuietlyOnClosedPipe(io.stdout);
  const view = splitForReading(diffTrees(a.dir, b.dir, context), { docs: values.docs === true });
  const color = useColor(io.env, io.stdout);
  const id = (stage: Stage) => String(stage.number).padStart(2, '0');
  const labels: DiffLabels = {
    b: b.folder,
    docsHint: `pnpm diff ${positionals[0]} ${positionals[1]} --docs`,
  };
  const nothing = view.code.length + view.docs.length + view.notCarried.length === 0;

  if (values.html) {
    const file = positionals[2]
      ? resolve(io.env.INIT_CWD ?? process.cwd(), positionals[2])
      : join(tmpdir(), 'backend-path', `diff-${id(a)}-${id(b)}.html`);
    const title = `Stage ${a.folder} → ${b.folder}: what ${b.folder} changes`;
    const summary = statSummary(view, labels);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      renderDiffPage(formatPatch(view.code), title, summary, collapsedLines(view, labels)),
    );
    io.stdout.write(`${summary}\nWrote ${file}\nOpen it in a browser (it works offline).\n`);
  }
  if (values.stat) {
    io.stdout.write(`${formatStat(view, color, labels)}\n`);
  } else if (!values.html) {
    if (nothing) io.stdout.write(`No differences between ${a.folder} and ${b.folder}.\n`);
    else io.stdout.write(formatTerminalDiff(view, color, labels));
  }
  return 0;
}

await runAsProgram(import.meta.url, main);
