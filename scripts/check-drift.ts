import { type Io, parseCli, runAsProgram } from './lib/cli.ts';
import { checkDrift, formatDrift } from './lib/drift.ts';
import { discoverStages } from './lib/stages.ts';

const usage = `
Usage: pnpm check:drift

For every pair of adjacent stages, compares the files of the earlier stage that the later one
changes or does not carry (README aside) with the files named in the later README's section
"### What changed in stage NN's files" (first column, in backticks). Prints what to add or
remove and exits 1 when they differ; the scripts' tests (pnpm test) run the same check.

Options:
  --root <dir>   the repository to read (default: this one)
  -h, --help     show this help
`;

export async function main(argv: string[], io: Io): Promise<number> {
  const { root } = parseCli(argv, { usage, options: {} }, io.env);
  const stages = discoverStages(root);
  const report = formatDrift(checkDrift(stages), root);
  if (report) {
    io.stderr.write(`${report}\n`);
    return 1;
  }
  io.stdout.write(
    `No drift: ${Math.max(stages.length - 1, 0)} stage pairs, every README table matches.\n`,
  );
  return 0;
}

await runAsProgram(import.meta.url, main);
